/**
 * Importing install trees: the pure {@code .treeinfo} parser ({@link
 * io.kickdrift.server.distros.TreeInfo}), recognising Debian and Ubuntu netboot layouts, fetching
 * kernel and initrd from a directory or an HTTP mirror with checksums and resume, and the text edit
 * that adds the distro to an inventory. See docs/import.md.
 */
package io.kickdrift.server.distros;
