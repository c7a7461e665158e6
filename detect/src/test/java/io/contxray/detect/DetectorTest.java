package io.contxray.detect;

import static io.contxray.detect.Events.INIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contxray.model.BundleMounts;
import io.contxray.model.ContainerEvent;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectorTest {
    private static RuleSet rules(String yaml) throws RuleException {
        return RuleSet.merge(List.of(RuleParser.parse(yaml, "t.yaml")), List.of("t.yaml"));
    }

    private static final String SHELL = """
            rules:
              - id: shell
                description: a shell
                level: warning
                when: {type: exec, basename: sh}
            """;

    private static Detector detector(RuleSet rules) {
        Detector d = new Detector(rules, Clock.systemUTC());
        d.watch(Events.ID, INIT, null, null, List.of());
        return d;
    }

    @Test
    void unwatchedContainersAreNotChecked() throws RuleException {
        Detector d = new Detector(rules(SHELL), Clock.systemUTC());
        assertEquals(List.of(), d.check(Events.ID, Events.exec(INIT, 1, "/bin/sh", "sh")));
    }

    @Test
    void execSessionsAreToldFromPid1sChildrenAndCarryTheirAncestry() throws RuleException {
        Detector d = detector(rules(SHELL));
        List<Alert> init = d.check(Events.ID, Events.exec(INIT, 90, "/bin/sh", "sh", "-c", "httpd"));
        assertEquals("init", init.get(0).session());
        d.check(Events.ID, Events.fork(101, INIT));
        List<Alert> child = d.check(Events.ID, Events.exec(101, INIT, "/bin/sh", "sh", "-c", "x"));
        assertEquals("init", child.get(0).session());
        assertEquals(List.of(101, INIT), child.get(0).ancestry().stream().map(Proc.Ancestor::pid).toList());

        // docker exec: the parent (runc, on the host) is never seen in the container
        List<Alert> exec = d.check(Events.ID, Events.exec(200, 7, "/bin/sh", "sh", "-c", "cat /etc/passwd"));
        assertEquals("exec", exec.get(0).session());
        d.check(Events.ID, Events.fork(201, 200));
        d.check(Events.ID, Events.exit(200)); // the parent's exit does not cut the child's ancestry
        Alert grandchild = d.check(Events.ID, Events.exec(201, 200, "/bin/sh", "sh")).get(0);
        assertEquals("exec", grandchild.session());
        assertEquals(List.of(201, 200), grandchild.ancestry().stream().map(Proc.Ancestor::pid).toList());
        assertEquals(List.of("sh", "-c", "cat /etc/passwd"), grandchild.ancestry().get(1).argv());
        assertTrue(grandchild.logLine().contains("201 [sh] <- 200 [sh -c cat /etc/passwd]"), grandchild.logLine());
    }

    @Test
    void containerEventsNameTheContainerAndExceptionsApply() throws RuleException {
        Detector d = detector(rules(SHELL.replace("    when:", "    except: {names: [debug-*]}\n    when:")));
        d.check(Events.ID, ContainerEvent.container(Events.T, Events.ID, "web", "busybox:1"));
        Alert a = d.check(Events.ID, Events.exec(300, 7, "/bin/sh", "sh")).get(0);
        assertEquals(new Alert.Container(Events.ID, "web", "busybox:1"), a.container());
        d.check(Events.ID, ContainerEvent.container(Events.T, Events.ID, "debug-1", "busybox:1"));
        assertEquals(List.of(), d.check(Events.ID, Events.exec(301, 7, "/bin/sh", "sh")));
    }

    @Test
    void countsPerRuleAndLevelAndReloadsTakeEffect() throws RuleException {
        Detector d = detector(rules(SHELL));
        d.check(Events.ID, Events.exec(300, 7, "/bin/sh", "sh"));
        d.check(Events.ID, Events.exec(301, 7, "/bin/sh", "sh"));
        assertEquals(List.of(new DetectMetrics.Count("shell", Level.WARNING, 2)), d.alertCounts());
        d.rules(rules(SHELL.replace("basename: sh", "basename: bash")));
        assertEquals(List.of(), d.check(Events.ID, Events.exec(302, 7, "/bin/sh", "sh")));
        assertEquals(1, d.rulesLoaded());
        assertEquals(1, d.watchedContainers());
        d.unwatch(Events.ID);
        assertEquals(0, d.watchedContainers());
    }

    @Test
    void hostBindClassesComeFromTheBundlesMounts() throws RuleException {
        Detector d = new Detector(rules("""
                rules:
                  - id: bind
                    description: d
                    level: warning
                    when: {type: file, pathClass: host-bind, hostSource: /srv/data/x}
                """), Clock.systemUTC());
        d.watch(Events.ID, INIT, null, null, List.of(new BundleMounts.Mount("/data", "bind", "/srv/data", List.of("rbind"))));
        assertEquals(1, d.check(Events.ID, Events.open(INIT, "/data/x", "write")).size());
        assertEquals(0, d.check(Events.ID, Events.open(INIT, "/database/x", "write")).size());
    }
}
