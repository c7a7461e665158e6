package io.contxray.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.contxray.model.Json;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "doctor", description = "Show what this host supports and what contxray will use (exit 1 if it cannot record here).")
final class DoctorCommand implements Callable<Integer> {
    @Option(names = "--json", description = "One JSON array of {name, level, detail}.")
    boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        List<HostCheck> checks = new HostChecks().run();
        if (json) {
            System.out.println(Json.mapper().writeValueAsString(checks.stream()
                    .map(c -> java.util.Map.of("name", c.name(), "level", c.level().label, "detail", c.detail())).toList()));
        } else {
            int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(0);
            for (HostCheck c : checks) {
                System.out.printf("%-4s  %-" + width + "s  %s%n", c.level().label, c.name(), c.detail());
            }
        }
        return checks.stream().anyMatch(c -> c.level() == HostCheck.Level.FAIL) ? 1 : 0;
    }
}
