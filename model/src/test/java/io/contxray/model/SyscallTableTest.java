package io.contxray.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SyscallTableTest {

    private static void both(SyscallTable t, int nr, String name) {
        assertEquals(name, t.name(nr), t.arch() + " " + nr);
        assertEquals(OptionalInt.of(nr), t.number(name), t.arch() + " " + name);
    }

    @Test
    void x86_64() {
        SyscallTable t = SyscallTable.forArch("x86_64");
        both(t, 0, "read");
        both(t, 309, "getcpu");
        both(t, 272, "unshare");
        both(t, 435, "clone3");
        both(t, 437, "openat2");
        both(t, 56, "clone");
        both(t, 59, "execve");
        assertEquals("SCMP_ARCH_X86_64", t.seccompArch());
        assertEquals("x86_64", t.arch());
        assertTrue(t.size() > 350, "size " + t.size());
        assertEquals("i386", t.compat().orElseThrow().arch());
    }

    @Test
    void aarch64() {
        SyscallTable t = SyscallTable.forArch("aarch64");
        both(t, 56, "openat");
        both(t, 168, "getcpu");
        both(t, 97, "unshare");
        both(t, 220, "clone");
        both(t, 435, "clone3");
        assertEquals(OptionalInt.empty(), t.number("open"), "aarch64 has no open(2)");
        assertEquals("SCMP_ARCH_AARCH64", t.seccompArch());
        assertTrue(t.compat().isEmpty());
    }

    @Test
    void i386() {
        SyscallTable t = SyscallTable.forArch("i386");
        both(t, 318, "getcpu");
        both(t, 11, "execve");
        both(t, 102, "socketcall");
        assertEquals("SCMP_ARCH_X86", t.seccompArch());
    }

    @Test
    void x32IsX86_64BelowFiveTwelveAndItsOwnAbove() {
        SyscallTable x86 = SyscallTable.forArch("x86_64");
        SyscallTable t = x86.x32().orElseThrow();
        assertEquals(t, SyscallTable.forArch("SCMP_ARCH_X32"));
        assertEquals("SCMP_ARCH_X32", t.seccompArch());
        both(t, 39, "getpid");
        both(t, 512, "rt_sigaction");
        both(t, 514, "ioctl");
        both(t, 547, "pwritev2");
        assertFalse(t.has(548));
        assertTrue(x86.isX32(SyscallTable.X32_BIT | 39));
        assertFalse(x86.isX32(39));
        assertFalse(SyscallTable.forArch("aarch64").isX32(SyscallTable.X32_BIT | 39), "x32 is x86_64's");
        assertTrue(SyscallTable.forArch("aarch64").x32().isEmpty());
    }

    @Test
    void genericNumbersAddedAfterAusyscall() {
        for (String arch : SyscallTable.ARCHES) {
            SyscallTable t = SyscallTable.forArch(arch);
            both(t, 436, "close_range");
            both(t, 439, "faccessat2");
            both(t, 451, "cachestat");
            both(t, 452, "fchmodat2");
            both(t, 462, "mseal");
            both(t, 467, "open_tree_attr");
        }
    }

    @Test
    void unknownNumbersAndNames() {
        SyscallTable t = SyscallTable.forArch("x86_64");
        assertEquals("syscall_511", t.name(511));
        assertEquals("syscall_-1", t.name(-1));
        assertFalse(t.has(511));
        assertEquals(OptionalInt.empty(), t.number("no_such_call"));
        assertEquals(OptionalInt.empty(), t.number(null));
    }

    @Test
    void aliasesAndErrors() {
        assertSame(SyscallTable.forArch("x86_64"), SyscallTable.forArch("amd64"));
        assertSame(SyscallTable.forArch("aarch64"), SyscallTable.forArch("arm64"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SyscallTable.forArch("ppc64le"));
        assertEquals("architecture \"ppc64le\" has no syscall table (known: x86_64, aarch64, i386)", e.getMessage());
    }

    @Test
    void nativeTableMatchesJvm() {
        String osArch = System.getProperty("os.arch");
        if (osArch.equals("amd64") || osArch.equals("x86_64")) {
            assertEquals("x86_64", SyscallTable.native_().arch());
        } else if (osArch.equals("aarch64")) {
            assertEquals("aarch64", SyscallTable.native_().arch());
        }
    }

    @Test
    void parserRejectsGarbage() {
        IOException e = assertThrows(IOException.class, () -> SyscallTable.parse("t.tsv",
                new ByteArrayInputStream("# c\n0\tread\n1 write\n".getBytes(StandardCharsets.UTF_8))));
        assertEquals("t.tsv:3: expected <nr>TAB<name>, got \"1 write\"", e.getMessage());
        assertThrows(IOException.class, () -> SyscallTable.parse("t.tsv",
                new ByteArrayInputStream("0\tread\n0\twrite\n".getBytes(StandardCharsets.UTF_8))));
    }
}
