package io.contxray.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command and subcommand answers -h and --help with its usage and exit 0. */
class HelpEverywhereTest {
    private static void walk(CommandLine c, List<String> path, List<List<String>> out) {
        out.add(path);
        c.getSubcommands().forEach((name, sub) -> {
            List<String> p = new ArrayList<>(path);
            p.add(name);
            walk(sub, p, out);
        });
    }

    @Test
    void everyCommandHasHelp() {
        List<List<String>> paths = new ArrayList<>();
        walk(new CommandLine(new ContxrayCommand()), List.of(), paths);
        assertTrue(paths.size() > 15, "the tree: " + paths);
        for (List<String> path : paths) {
            for (String flag : List.of("-h", "--help")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                StringWriter out = new StringWriter();
                CommandLine cl = new CommandLine(new ContxrayCommand());
                cl.setOut(new PrintWriter(out));
                int code = cl.execute(args.toArray(String[]::new));
                assertEquals(0, code, "contxray " + String.join(" ", args));
                assertTrue(out.toString().startsWith("Usage: contxray"), "contxray " + String.join(" ", args) + ": " + out);
            }
        }
    }
}
