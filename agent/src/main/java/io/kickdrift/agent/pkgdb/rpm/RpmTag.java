package io.kickdrift.agent.pkgdb.rpm;

/** The header tags the RPM backend reads, with their numbers from rpm's {@code rpmtag.h}. */
enum RpmTag {
  NAME(1000),
  VERSION(1001),
  RELEASE(1002),
  EPOCH(1003),
  ARCH(1022),
  FILESIZES(1028),
  FILESTATES(1029),
  FILEMODES(1030),
  FILERDEVS(1033),
  FILEMTIMES(1034),
  FILEDIGESTS(1035),
  FILELINKTOS(1036),
  FILEFLAGS(1037),
  FILEUSERNAME(1039),
  FILEGROUPNAME(1040),
  FILEVERIFYFLAGS(1045),
  DIRINDEXES(1116),
  BASENAMES(1117),
  DIRNAMES(1118),
  PAYLOADFORMAT(1124),
  PAYLOADCOMPRESSOR(1125),
  LONGFILESIZES(5008),
  FILEDIGESTALGO(5011);

  private final int id;

  RpmTag(int id) {
    this.id = id;
  }

  int id() {
    return id;
  }
}
