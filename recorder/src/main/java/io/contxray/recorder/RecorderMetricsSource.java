package io.contxray.recorder;

import io.contxray.bpf.Layout;
import io.contxray.bpf.SyscallRecorderProgram;
import io.contxray.recorder.metrics.ContainerSample;
import io.contxray.recorder.metrics.MetricsSource;
import io.contxray.recorder.metrics.RecorderHealth;
import java.util.List;
import java.util.stream.Collectors;

/** /metrics' view of the running recorder, read at each scrape. */
final class RecorderMetricsSource implements MetricsSource {
    private final Recorder recorder;
    private final EventPump events;
    private final SyscallRecorderProgram program;
    private final ContainerIdentities identities;

    RecorderMetricsSource(Recorder recorder, EventPump events, SyscallRecorderProgram program, ContainerIdentities identities) {
        this.recorder = recorder;
        this.events = events;
        this.program = program;
        this.identities = identities;
    }

    @Override
    public List<ContainerSample> containers() {
        List<ContainerSample> live = recorder.liveSamples(identities::of);
        identities.retain(live.stream().map(ContainerSample::id).collect(Collectors.toSet()));
        return live;
    }

    @Override
    public RecorderHealth health() {
        return new RecorderHealth(program.attachedLinks(), recorder.activeCount(), Layout.CX_MAX_SLOTS, events.routed(),
                events.unrouted(), events.malformed(), events.eventLagSeconds());
    }
}
