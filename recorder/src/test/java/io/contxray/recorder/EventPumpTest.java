package io.contxray.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.contxray.bpf.Layout;
import org.junit.jupiter.api.Test;

class EventPumpTest {
    static byte[] v6(int... groups) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[2 * i] = (byte) (groups[i] >> 8);
            b[2 * i + 1] = (byte) groups[i];
        }
        return b;
    }

    @Test
    void addressesAreNumericAndShort() {
        assertEquals("172.31.20.3", EventPump.address(new byte[] {(byte) 172, 31, 20, 3}));
        assertEquals("::", EventPump.address(new byte[16]));
        assertEquals("::1", EventPump.address(v6(0, 0, 0, 0, 0, 0, 0, 1)));
        assertEquals("fd00::1:0:0:2", EventPump.address(v6(0xfd00, 0, 0, 0, 1, 0, 0, 2)));
        assertEquals("2001:db8:0:1:1:1:1:1", EventPump.address(v6(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1)));
        assertEquals("fe80::", EventPump.address(v6(0xfe80, 0, 0, 0, 0, 0, 0, 0)));
        // an IPv4 peer of a dual-stack socket
        assertEquals("10.0.0.9", EventPump.address(v6(0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0009)));
        assertEquals("invalid-address", EventPump.address(new byte[3]));
    }

    @Test
    void netKindsByName() {
        assertEquals("connect", EventPump.netKind(Layout.CX_NET_CONNECT));
        assertEquals("listen", EventPump.netKind(Layout.CX_NET_LISTEN));
        assertEquals("accept", EventPump.netKind(Layout.CX_NET_ACCEPT));
        assertEquals("kind-9", EventPump.netKind(9));
    }
}
