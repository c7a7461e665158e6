package io.contxray.recorder.metrics;

import java.util.List;

/** What the collector reads at each scrape (the recorder; a fixed list in tests). */
public interface MetricsSource {
    List<ContainerSample> containers();

    RecorderHealth health();
}
