package io.contxray.shim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A runc command line taken apart the way runc (urfave/cli over Go's flag package) reads it:
 * global flags, some with a value, then the subcommand, then its flags and arguments in any
 * order. Flags may be written {@code -name}, {@code --name}, {@code -name=v} or {@code --name=v}.
 *
 * @param globalArgs  everything before the subcommand, verbatim
 * @param command     the subcommand ("create", "state", ...), null when there is none
 *                    ({@code --version}, {@code --help})
 * @param commandArgs everything after the subcommand, verbatim
 * @param bundle      for create/run/restore the absolute bundle directory ({@code --bundle}/{@code -b},
 *                    resolved against the working directory, else the working directory); null otherwise
 * @param containerId the subcommand's first positional argument, null when there is none
 */
public record RuncArgs(List<String> globalArgs, String command, List<String> commandArgs, Path bundle, String containerId) {
    /** Subcommands that create a container from a bundle; only these get their config.json patched. */
    public static final Set<String> CREATING_COMMANDS = Set.of("create", "run", "restore");

    /** runc's (and crun's) global flags that take a value. Every other global flag is a switch. */
    static final Set<String> GLOBAL_VALUE_FLAGS = Set.of("root", "log", "log-format", "criu", "rootless", "cgroup-manager");

    /** Value-taking flags of create, run, restore (and exec, checkpoint, which share names). */
    static final Set<String> COMMAND_VALUE_FLAGS = Set.of(
            "bundle", "b", "pid-file", "console-socket", "pidfd-socket", "preserve-fds",
            "criu-opts", "image-path", "work-path", "parent-path", "manage-cgroups-mode", "empty-ns",
            "lsm-profile", "lsm-mount-context", "status-fd", "page-server",
            // exec's, so `exec --cwd /run ID` does not take /run for the id
            "process", "p", "cwd", "env", "e", "user", "u", "additional-gids", "g", "cap", "c",
            "apparmor", "process-label", "cgroup");

    public RuncArgs {
        globalArgs = List.copyOf(globalArgs);
        commandArgs = List.copyOf(commandArgs);
    }

    /** Parses {@code args} against the JVM's working directory (the wrapper's, which is runc's). */
    public static RuncArgs parse(String[] args) {
        return parse(List.of(args), Path.of("").toAbsolutePath());
    }

    public static RuncArgs parse(List<String> args, Path cwd) {
        List<String> global = new ArrayList<>();
        int i = 0;
        while (i < args.size()) {
            String a = args.get(i);
            if (a.equals("--")) {
                global.add(a);
                i++;
                break;
            }
            Flag f = Flag.of(a);
            if (f == null) {
                break;
            }
            global.add(a);
            i++;
            if (f.value() == null && GLOBAL_VALUE_FLAGS.contains(f.name()) && i < args.size()) {
                global.add(args.get(i++));
            }
        }
        if (i >= args.size()) {
            return new RuncArgs(global, null, List.of(), null, null);
        }
        String command = args.get(i);
        List<String> rest = args.subList(i + 1, args.size());

        String bundle = null;
        String id = null;
        boolean flagsDone = false;
        for (int j = 0; j < rest.size(); j++) {
            String a = rest.get(j);
            Flag f = flagsDone ? null : Flag.of(a);
            if (a.equals("--") && !flagsDone) {
                flagsDone = true;
                continue;
            }
            if (f == null) {
                if (id == null) {
                    id = a;
                }
                continue;
            }
            String value = f.value();
            if (value == null && COMMAND_VALUE_FLAGS.contains(f.name()) && j + 1 < rest.size()) {
                value = rest.get(++j);
            }
            if (f.name().equals("bundle") || f.name().equals("b")) {
                bundle = value;
            }
        }
        Path bundleDir = null;
        if (CREATING_COMMANDS.contains(command)) {
            // runc treats an empty --bundle like none: the working directory.
            bundleDir = bundle == null || bundle.isEmpty() ? cwd : cwd.resolve(bundle);
        }
        return new RuncArgs(global, command, rest, bundleDir, id);
    }

    /** True for create, run and restore. */
    public boolean createsContainer() {
        return command != null && CREATING_COMMANDS.contains(command);
    }

    /** One flag token: name without dashes, inline value after '=' or null. */
    private record Flag(String name, String value) {
        static Flag of(String token) {
            if (token.length() < 2 || token.charAt(0) != '-' || token.equals("--")) {
                return null;
            }
            String body = token.startsWith("--") ? token.substring(2) : token.substring(1);
            int eq = body.indexOf('=');
            return eq < 0 ? new Flag(body, null) : new Flag(body.substring(0, eq), body.substring(eq + 1));
        }
    }
}
