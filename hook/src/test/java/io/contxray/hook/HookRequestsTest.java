package io.contxray.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contxray.model.protocol.Request;
import io.contxray.model.protocol.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class HookRequestsTest {
    final List<Request> seen = new ArrayList<>();
    final Function<Request, Response> recorder = r -> {
        seen.add(r);
        return Response.registered(1, 2);
    };

    @Test
    void createRuntimeAndPrestartRegisterPoststopStops() {
        String state = HookMainTest.state("true");
        for (String stage : List.of("createRuntime", "prestart")) {
            assertTrue(HookRequests.handle(Request.hook(stage, state), recorder).ok());
        }
        assertTrue(HookRequests.handle(Request.hook("poststop", "{\"id\":\"c1\"}"), recorder).ok());
        assertEquals(3, seen.size());
        Request reg = seen.get(0);
        assertEquals(Request.REGISTER, reg.op());
        assertEquals("c1", reg.id());
        assertEquals(321, reg.pid());
        assertEquals("/b/c1", reg.bundle());
        assertEquals(Map.of("other", "x", "contxray.record", "true"), reg.annotations());
        assertEquals(Request.STOP, seen.get(2).op());
        assertEquals("c1", seen.get(2).id());
        assertNull(seen.get(2).pid());
    }

    @Test
    void whatTheJavaHookRefusesIsRefusedHereWithoutReachingTheRecorder() {
        String[][] cases = {
            {"createRuntime", "{oops", "malformed JSON"},
            {"createRuntime", "{\"id\":\"../x\",\"pid\":5}", "rejected"},
            {"createRuntime", "{\"id\":\"c1\"}", "state has no pid"},
            {"poststop", "", "empty input"},
            {"start", "{\"id\":\"c1\"}", "unknown stage start"},
            {null, "{\"id\":\"c1\"}", "unknown stage null"},
            {"poststop", null, "no state"},
        };
        for (String[] c : cases) {
            Response r = HookRequests.handle(Request.hook(c[0], c[1]), recorder);
            assertFalse(r.ok(), c[1]);
            assertTrue(r.error().contains(c[2]), r.error());
        }
        assertTrue(seen.isEmpty());
    }
}
