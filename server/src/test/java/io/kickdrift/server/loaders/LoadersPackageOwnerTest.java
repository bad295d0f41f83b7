package io.kickdrift.server.loaders;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoadersPackageOwnerTest {
  @Test
  void dpkgSearchGivesThePackageWithoutItsArchitecture() {
    assertThat(
            PackageOwner.parseDpkgSearch("shim-signed:amd64: /usr/lib/shim/shimx64.efi.signed\n"))
        .contains("shim-signed");
    assertThat(PackageOwner.parseDpkgSearch("pxelinux: /usr/lib/PXELINUX/pxelinux.0\n"))
        .contains("pxelinux");
    assertThat(
            PackageOwner.parseDpkgSearch(
                "diversion by local from: /usr/bin/x\ndiversion by local to: /usr/bin/x.real\n"
                    + "coreutils, busybox: /usr/bin/x\n"))
        .contains("coreutils");
    assertThat(PackageOwner.parseDpkgSearch("")).isEmpty();
    assertThat(PackageOwner.parseDpkgSearch("garbage")).isEmpty();
  }

  @Test
  void rpmQueryGivesNameAndVersionRelease() {
    assertThat(PackageOwner.parseRpmQuery("grub2-efi-x64 2.02-156.el8\n"))
        .contains(new PackageOwner.Owned("grub2-efi-x64", "2.02-156.el8"));
    assertThat(PackageOwner.parseRpmQuery("file /tftpboot/x is not owned by any package\n"))
        .isEmpty();
    assertThat(PackageOwner.parseRpmQuery("")).isEmpty();
  }

  @Test
  void debianAsksDpkgQueryForOwnerThenVersion() throws Exception {
    List<List<String>> asked = new ArrayList<>();
    Map<String, String> answers =
        Map.of(
            "-S", "ipxe: /usr/lib/ipxe/undionly.kpxe\n",
            "-W", "1.0.0+git-20190125.36a4c85-5.1");
    PackageOwner owner =
        new PackageOwner(
            OsFamily.DEBIAN,
            argv -> {
              asked.add(argv);
              return Optional.ofNullable(answers.get(argv.get(1)));
            });
    assertThat(owner.ownerOf("/usr/lib/ipxe/undionly.kpxe"))
        .contains(new PackageOwner.Owned("ipxe", "1.0.0+git-20190125.36a4c85-5.1"));
    assertThat(asked)
        .containsExactly(
            List.of("dpkg-query", "-S", "/usr/lib/ipxe/undionly.kpxe"),
            List.of("dpkg-query", "-W", "-f=${Version}", "ipxe"));
  }

  @Test
  void aFileNoPackageOwnsHasNoOwner() throws Exception {
    PackageOwner owner = new PackageOwner(OsFamily.DEBIAN, argv -> Optional.empty());
    assertThat(owner.ownerOf("/srv/tftp/mine.efi")).isEmpty();
    PackageOwner rpm =
        new PackageOwner(
            OsFamily.RHEL, argv -> Optional.of("file " + argv.get(4) + " is not owned\n"));
    assertThat(rpm.ownerOf("/tftpboot/x")).isEmpty();
  }

  @Test
  void rhelAsksRpm() throws Exception {
    List<List<String>> asked = new ArrayList<>();
    PackageOwner owner =
        new PackageOwner(
            OsFamily.RHEL,
            argv -> {
              asked.add(argv);
              return Optional.of("shim-x64 15.8-3.el9\n");
            });
    assertThat(owner.ownerOf("/boot/efi/EFI/rocky/shimx64.efi"))
        .contains(new PackageOwner.Owned("shim-x64", "15.8-3.el9"));
    assertThat(asked.get(0))
        .containsExactly(
            "rpm",
            "-qf",
            "--qf",
            "%{NAME} %{VERSION}-%{RELEASE}\\n",
            "/boot/efi/EFI/rocky/shimx64.efi");
  }
}
