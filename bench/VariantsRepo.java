import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;

/**
 * A config repository as scans leave it, for bench/variants.sh: H hosts of one profile, each with
 * F modified files in its manifest and its files/ tree, and an inventory of them. Per path, a
 * third of the hosts hold one content, a third the same content with their own name and address
 * (a template's variant), and the rest a few contents of their own. Written with JGit into one
 * commit on main; deterministic for the same H and F.
 *
 * <pre>
 *   java -cp server/target/kickdrift.jar bench/VariantsRepo.java HOSTS FILES REPO INVENTORY
 * </pre>
 */
public final class VariantsRepo {
  public static void main(String[] args) throws Exception {
    int hosts = Integer.parseInt(args[0]);
    int files = Integer.parseInt(args[1]);
    Path repoDir = Path.of(args[2]);
    Path inventory = Path.of(args[3]);
    StringBuilder inv =
        new StringBuilder(
            "distros:\n  - {name: d, family: rocky, version: \"9\", kernel: k, initrd: i,"
                + " install-tree: http://192.0.2.1/t}\n"
                + "subnets:\n  - {network: 198.18.0.0/15}\n"
                + "profiles:\n  - {name: web, distro: d}\nhosts:\n");
    try (Git git = Git.init().setBare(true).setDirectory(repoDir.toFile()).setInitialBranch("main").call();
        ObjectInserter ins = git.getRepository().newObjectInserter()) {
      TreeFormatter hostsTree = new TreeFormatter();
      TreeMap<String, ObjectId> hostTrees = new TreeMap<>();
      for (int h = 0; h < hosts; h++) {
        String name = String.format("web%04d.bench.example.com", h);
        String ip = "198.18." + (h / 250) + "." + (h % 250 + 1);
        inv.append("  - name: ").append(name).append("\n    profile: web\n    interfaces: [{name: eth0, mac: \"")
            .append(String.format("52:54:00:%02x:%02x:%02x", (h >> 16) & 0xff, (h >> 8) & 0xff, h & 0xff))
            .append("\", ip: ").append(ip).append("}]\n");
        StringBuilder manifest = new StringBuilder("{\n  \"schema\" : 1,\n  \"host\" : \"" + name + "\",\n  \"files\" : {\n");
        TreeMap<String, ObjectId> etc = new TreeMap<>();
        for (int f = 0; f < files; f++) {
          String file = String.format("app%03d.conf", f);
          String content;
          switch (h % 3) {
            case 0 -> content = "# app " + f + "\nworkers = 4\nlisten = 0.0.0.0\n";
            case 1 -> content = "# app " + f + "\nserver_name = " + name + "\nlisten = " + ip + "\n";
            default -> content = "# app " + f + "\nworkers = " + (h % 7) + "\n";
          }
          etc.put(file, ins.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8)));
          manifest.append("    \"/etc/bench/").append(file).append("\" : {\n")
              .append("      \"status\" : \"unowned\",\n      \"type\" : \"regular\",\n")
              .append("      \"mode\" : \"0644\",\n      \"user\" : \"root\",\n      \"group\" : \"root\",\n")
              .append("      \"secret\" : \"none\",\n      \"stored\" : true\n    }")
              .append(f + 1 < files ? ",\n" : "\n");
        }
        manifest.append("  }\n}\n");
        TreeFormatter bench = new TreeFormatter();
        etc.forEach((n, id) -> bench.append(n, FileMode.REGULAR_FILE, id));
        TreeFormatter etcDir = new TreeFormatter();
        etcDir.append("bench", FileMode.TREE, ins.insert(bench));
        TreeFormatter filesDir = new TreeFormatter();
        filesDir.append("etc", FileMode.TREE, ins.insert(etcDir));
        TreeFormatter host = new TreeFormatter();
        host.append("files", FileMode.TREE, ins.insert(filesDir));
        host.append("manifest.json", FileMode.REGULAR_FILE,
            ins.insert(Constants.OBJ_BLOB, manifest.toString().getBytes(StandardCharsets.UTF_8)));
        hostTrees.put(name, ins.insert(host));
      }
      hostTrees.forEach((n, id) -> hostsTree.append(n, FileMode.TREE, id));
      TreeFormatter top = new TreeFormatter();
      top.append("hosts", FileMode.TREE, ins.insert(hostsTree));
      CommitBuilder c = new CommitBuilder();
      c.setTreeId(ins.insert(top));
      PersonIdent who = new PersonIdent("bench", "bench@example.com", java.time.Instant.parse("2026-12-05T00:00:00Z"), java.time.ZoneOffset.UTC);
      c.setAuthor(who);
      c.setCommitter(who);
      c.setMessage("bench: " + hosts + " hosts x " + files + " files\n");
      ObjectId commit = ins.insert(c);
      ins.flush();
      Repository r = git.getRepository();
      RefUpdate u = r.updateRef("refs/heads/main");
      u.setNewObjectId(commit);
      u.update();
    }
    Files.writeString(inventory, inv.toString());
  }
}
