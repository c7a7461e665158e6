package io.contxray.shim.nri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contxray.shim.nri.proto.NriApi.Container;
import io.contxray.shim.nri.proto.NriApi.ContainerAdjustment;
import io.contxray.shim.nri.proto.NriApi.CreateContainerRequest;
import io.contxray.shim.nri.proto.NriApi.Hook;
import io.contxray.shim.nri.proto.NriApi.Hooks;
import io.contxray.shim.nri.proto.NriApi.PodSandbox;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerAdjusterTest {
    static final String HOOK = "/usr/local/lib/contxray/contxray-hook";
    final ContainerAdjuster adjuster = new ContainerAdjuster(HOOK, "contxray");

    static CreateContainerRequest request(String handler, Map<String, String> podAnnotations, Map<String, String> containerAnnotations) {
        return CreateContainerRequest.newBuilder()
                .setPod(PodSandbox.newBuilder().setId("pod1").setName("web").setNamespace("shop").setRuntimeHandler(handler)
                        .putAllAnnotations(podAnnotations))
                .setContainer(Container.newBuilder().setId("c1").setName("nginx").putAllAnnotations(containerAnnotations))
                .build();
    }

    @Test
    void anAnnotatedPodGetsBothHooksAndTheAnnotation() throws Exception {
        ContainerAdjustment a = adjuster.adjust(request("", Map.of("contxray.record", "true"), Map.of()));
        assertEquals(Map.of("contxray.record", "true"), a.getAnnotationsMap());
        Hook create = a.getHooks().getCreateRuntime(0);
        assertEquals(HOOK, create.getPath());
        assertEquals(List.of("contxray", "hook", "createRuntime"), create.getArgsList());
        assertEquals(15, create.getTimeout().getValue());
        assertEquals(List.of("contxray", "hook", "poststop"), a.getHooks().getPoststop(0).getArgsList());
        assertEquals(30, a.getHooks().getPoststop(0).getTimeout().getValue());
        assertEquals(0, a.getHooks().getPrestartCount() + a.getHooks().getStartContainerCount());
    }

    @Test
    void theHooksGetTheGivenEnvironmentOrNone() throws Exception {
        assertEquals(0, adjuster.adjust(request("", Map.of("contxray.record", "true"), Map.of())).getHooks().getCreateRuntime(0).getEnvCount());
        List<String> env = List.of("PATH=/usr/bin:/bin", "CONTXRAY_LAUNCHER=/opt/contxray/bin/contxray");
        Hooks hooks = new ContainerAdjuster(HOOK, env, "contxray").adjust(request("", Map.of("contxray.record", "true"), Map.of())).getHooks();
        assertEquals(env, hooks.getCreateRuntime(0).getEnvList());
        assertEquals(env, hooks.getPoststop(0).getEnvList());
    }

    @Test
    void requiredIsPassedOnSoTheHookRefusesToRunUnrecorded() throws Exception {
        ContainerAdjustment a = adjuster.adjust(request("", Map.of("contxray.record", " Required "), Map.of()));
        assertEquals("required", a.getAnnotationsMap().get("contxray.record"));
        assertEquals(1, a.getHooks().getCreateRuntimeCount());
    }

    @Test
    void theContainersOwnAnnotationWins() throws Exception {
        assertEquals(ContainerAdjustment.getDefaultInstance(),
                adjuster.adjust(request("", Map.of("contxray.record", "true"), Map.of("contxray.record", "false"))));
        assertTrue(adjuster.adjust(request("", Map.of(), Map.of("contxray.record", "true"))).hasHooks());
    }

    @Test
    void unannotatedOrOtherValuesAreLeftAlone() throws Exception {
        assertEquals(ContainerAdjustment.getDefaultInstance(), adjuster.adjust(request("", Map.of(), Map.of())));
        assertEquals(ContainerAdjustment.getDefaultInstance(), adjuster.adjust(request("", Map.of("contxray.record", "yes"), Map.of())));
    }

    @Test
    void podsOfTheWrappersRuntimeClassAreLeftToTheWrapper() throws Exception {
        assertEquals(ContainerAdjustment.getDefaultInstance(),
                adjuster.adjust(request("contxray", Map.of("contxray.record", "true", "contxray.mode", "enforce"), Map.of())));
    }

    @Test
    void hooksAlreadyThereAreNotAddedTwice() throws Exception {
        CreateContainerRequest req = request("", Map.of("contxray.record", "true"), Map.of()).toBuilder()
                .setContainer(Container.newBuilder().setName("nginx").putAnnotations("contxray.record", "true")
                        .setHooks(Hooks.newBuilder().addCreateRuntime(Hook.newBuilder().setPath("/other/contxray-hook")
                                .addAllArgs(List.of("contxray", "hook", "createRuntime")))))
                .build();
        Hooks hooks = adjuster.adjust(req).getHooks();
        assertEquals(0, hooks.getCreateRuntimeCount());
        assertEquals(1, hooks.getPoststopCount());
    }

    @Test
    void rolloutsAreRefusedWithTheWayOut() {
        for (Map<String, String> ann : List.of(Map.of("contxray.mode", "enforce", "contxray.profile", "nginx"),
                Map.of("contxray.mode", "complain", "contxray.profile", "nginx"),
                Map.of("contxray.profile", "nginx"))) {
            ContainerAdjuster.Refused e = assertThrows(ContainerAdjuster.Refused.class, () -> adjuster.adjust(request("", ann, Map.of())));
            assertTrue(e.getMessage().contains("container nginx of pod shop/web"), e.getMessage());
            assertTrue(e.getMessage().contains("runtimeClassName: contxray"), e.getMessage());
        }
    }

    @Test
    void aBadModeIsRefusedInOneLine() {
        ContainerAdjuster.Refused e = assertThrows(ContainerAdjuster.Refused.class,
                () -> adjuster.adjust(request("", Map.of("contxray.mode", "audit"), Map.of())));
        assertEquals("contxray: container nginx of pod shop/web: contxray.mode=audit is not record, complain or enforce", e.getMessage());
    }
}
