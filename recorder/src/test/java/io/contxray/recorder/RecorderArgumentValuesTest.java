package io.contxray.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.contxray.bpf.Layout;
import io.contxray.bpf.SyscallRecorderProgram.ArgCount;
import io.contxray.model.ArgumentValues;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecorderArgumentValuesTest {
    @Test
    void kernelEntriesBecomeTheRecordingsValuesSortedWithThePhaseAndTheFullMapCount() {
        ArgumentValues v = Recorder.argumentValues(List.of(
                new ArgCount(Layout.CX_NR_SOCKET, Layout.CX_PHASE_FILTERED, 10, 1),
                new ArgCount(Layout.CX_NR_PERSONALITY, Layout.CX_PHASE_FILTERED, 0xffffffffL, 2),
                new ArgCount(Layout.CX_NR_SOCKET, Layout.CX_PHASE_BEFORE, 16, 4),
                new ArgCount(Layout.CX_NR_SOCKET, Layout.CX_PHASE_FILTERED, -1L, 1),
                new ArgCount(Layout.CX_NR_SOCKET, Layout.CX_PHASE_FILTERED, 1, 3)), 5);
        assertEquals(List.of(
                new ArgumentValues.Value(41, false, 16, 4),
                new ArgumentValues.Value(41, true, 1, 3),
                new ArgumentValues.Value(41, true, 10, 1),
                new ArgumentValues.Value(41, true, -1L, 1), // unsigned order: the largest last
                new ArgumentValues.Value(135, true, 0xffffffffL, 2)), v.values());
        assertEquals(5, v.missed());
    }
}
