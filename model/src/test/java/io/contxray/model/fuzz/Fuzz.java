package io.contxray.model.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import org.junit.jupiter.api.function.Executable;

/**
 * What every *FuzzTest shares (model's test-jar): the hang guard, the one-line check of a refusal,
 * and mutations of valid inputs.
 */
public final class Fuzz {
    /** A hang guard per try, not a timing assertion. */
    public static final Duration HANG_GUARD = Duration.ofSeconds(10);

    private Fuzz() {
    }

    /** Runs {@code body}, failing if it does not end within {@link #HANG_GUARD}. */
    public static void bounded(Executable body) {
        assertTimeoutPreemptively(HANG_GUARD, body);
    }

    /** A refusal as the parsers promise it: a message, one line. */
    public static void assertOneLine(Throwable e) {
        String m = e.getMessage();
        assertTrue(m != null && !m.isBlank(), "no message: " + e);
        assertFalse(m.contains("\n") || m.contains("\r"), "more than one line: " + m);
    }

    /** One to six mutations. */
    public static Arbitrary<List<Mutation>> mutations() {
        return Mutation.arbitrary().list().ofMinSize(1).ofMaxSize(6);
    }

    /** One edit of a valid input: a byte changed, inserted or removed, at a position relative to its length. */
    public record Mutation(int kind, double where, byte value) {
        static Arbitrary<Mutation> arbitrary() {
            return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.doubles().between(0, 1),
                    Arbitraries.bytes().withDistribution(RandomDistribution.uniform())
                            .edgeCases(e -> e.add((byte) '"', (byte) '{', (byte) '}', (byte) '\\', (byte) '\n', (byte) 0)))
                    .as(Mutation::new);
        }

        /** {@code input} with every mutation applied in turn. */
        public static byte[] apply(List<Mutation> mutations, byte[] input) {
            List<Byte> bytes = new ArrayList<>();
            for (byte b : input) {
                bytes.add(b);
            }
            for (Mutation m : mutations) {
                int at = (int) (m.where * bytes.size());
                if (m.kind == 0) {
                    bytes.add(Math.min(at, bytes.size()), m.value);
                } else if (at < bytes.size() && m.kind == 1) {
                    bytes.remove(at);
                } else if (at < bytes.size()) {
                    bytes.set(at, m.value);
                }
            }
            byte[] out = new byte[bytes.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = bytes.get(i);
            }
            return out;
        }
    }
}
