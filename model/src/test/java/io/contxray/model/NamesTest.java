package io.contxray.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NamesTest {
    @Test
    void capabilityNumbersMatchLinuxCapabilityH() {
        assertEquals("CHOWN", CapabilityNames.name(0));
        assertEquals("NET_BIND_SERVICE", CapabilityNames.name(10));
        assertEquals("SYS_ADMIN", CapabilityNames.name(21));
        assertEquals("SETFCAP", CapabilityNames.name(31));
        assertEquals("CHECKPOINT_RESTORE", CapabilityNames.name(40));
        assertEquals("cap_41", CapabilityNames.name(41));
        assertEquals(13, CapabilityNames.number("cap_net_raw"));
        assertEquals(-1, CapabilityNames.number("NOPE"));
    }

    @Test
    void errnoNumbersMatchAsmGeneric() {
        assertEquals("EPERM", ErrnoNames.name(1));
        assertEquals("EACCES", ErrnoNames.name(13));
        assertEquals("ENOSYS", ErrnoNames.name(38));
        assertEquals("ENOMSG", ErrnoNames.name(42));
        assertEquals("E41", ErrnoNames.name(41), "EWOULDBLOCK's slot has no own name");
        assertEquals("EOPNOTSUPP", ErrnoNames.name(95));
        assertEquals("ECONNREFUSED", ErrnoNames.name(111));
        assertEquals("EHWPOISON", ErrnoNames.name(133));
        assertEquals("E0", ErrnoNames.name(0));
    }
}
