package io.contxray.shim.cri;

import com.google.protobuf.Message;
import io.contxray.shim.cri.proto.Cri;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A small CRI client for the bats tests (no crictl or kubelet is packaged here): runs one pod
 * with host networking (no CNI needed) and one container in it through containerd's CRI service,
 * waits for the container to exit, prints its ids and exit code, and removes the pod.
 *
 * <pre>
 * CriClient --socket SOCK --pod NAME --image REF [--handler H] [--pod-annotation K=V]...
 *           [--annotation K=V]... [--timeout S] [--keep] -- COMMAND [ARG...]
 * </pre>
 * Prints {@code pod ID}, {@code container ID}, {@code exit CODE}; exits 0 when the container ran
 * (whatever its exit code), 1 with {@code cri: METHOD: STATUS} when a call failed.
 */
public final class CriClient {
    private static final String SERVICE = "runtime.v1.RuntimeService/";

    private final ManagedChannel channel;
    private final long timeoutSeconds;

    private CriClient(ManagedChannel channel, long timeoutSeconds) {
        this.channel = channel;
        this.timeoutSeconds = timeoutSeconds;
    }

    public static void main(String[] args) {
        // netty's warning about a TCP option on a unix socket would be the only output on stderr
        java.util.logging.Logger.getLogger("io.grpc.netty.shaded").setLevel(java.util.logging.Level.SEVERE);
        System.exit(run(args));
    }

    static int run(String[] args) {
        String socket = null;
        String pod = null;
        String image = null;
        String handler = "";
        long timeout = 60;
        boolean keep = false;
        Map<String, String> podAnnotations = new LinkedHashMap<>();
        Map<String, String> annotations = new LinkedHashMap<>();
        List<String> command = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--socket" -> socket = args[++i];
                case "--pod" -> pod = args[++i];
                case "--image" -> image = args[++i];
                case "--handler" -> handler = args[++i];
                case "--timeout" -> timeout = Long.parseLong(args[++i]);
                case "--keep" -> keep = true;
                case "--pod-annotation" -> put(podAnnotations, args[++i]);
                case "--annotation" -> put(annotations, args[++i]);
                case "--" -> {
                    command.addAll(List.of(args).subList(i + 1, args.length));
                    i = args.length;
                }
                default -> {
                    System.err.println("cri: unknown argument " + args[i]);
                    return 2;
                }
            }
        }
        if (socket == null || pod == null || image == null || command.isEmpty()) {
            System.err.println("cri: usage: CriClient --socket SOCK --pod NAME --image REF [options] -- COMMAND...");
            return 2;
        }
        EpollEventLoopGroup group = new EpollEventLoopGroup(1);
        ManagedChannel channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket))
                .eventLoopGroup(group).channelType(EpollDomainSocketChannel.class).usePlaintext().build();
        try {
            return new CriClient(channel, timeout).runPod(pod, handler, podAnnotations, annotations, image, command, keep);
        } catch (StatusRuntimeException e) {
            return 1;
        } catch (InterruptedException e) {
            System.err.println("cri: interrupted");
            return 1;
        } finally {
            channel.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private int runPod(String name, String handler, Map<String, String> podAnnotations, Map<String, String> annotations,
                       String image, List<String> command, boolean keep) throws InterruptedException {
        Cri.NamespaceOption hostNetwork = Cri.NamespaceOption.newBuilder().setNetwork(Cri.NamespaceMode.NODE).build();
        Cri.PodSandboxConfig sandbox = Cri.PodSandboxConfig.newBuilder()
                .setMetadata(Cri.PodSandboxMetadata.newBuilder().setName(name).setNamespace("contxray-test").setUid(name + "-uid"))
                .putAllAnnotations(podAnnotations) // no hostname: the pod has the host's UTS namespace
                .setLinux(Cri.LinuxPodSandboxConfig.newBuilder()
                        .setSecurityContext(Cri.LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(hostNetwork)))
                .build();
        String podId = call("RunPodSandbox", Cri.RunPodSandboxRequest.newBuilder().setConfig(sandbox).setRuntimeHandler(handler).build(),
                Cri.RunPodSandboxResponse.getDefaultInstance()).getPodSandboxId();
        System.out.println("pod " + podId);
        try {
            Cri.ContainerConfig config = Cri.ContainerConfig.newBuilder()
                    .setMetadata(Cri.ContainerMetadata.newBuilder().setName(name + "-c"))
                    .setImage(Cri.ImageSpec.newBuilder().setImage(image)).addAllCommand(command).putAllAnnotations(annotations)
                    // the labels kubelet gives every container (contxray names containers from them)
                    .putLabels("io.kubernetes.container.name", name + "-c").putLabels("io.kubernetes.pod.name", name)
                    .putLabels("io.kubernetes.pod.namespace", "contxray-test")
                    .setLinux(Cri.LinuxContainerConfig.newBuilder()
                            .setSecurityContext(Cri.LinuxContainerSecurityContext.newBuilder().setNamespaceOptions(hostNetwork)))
                    .build();
            String id = call("CreateContainer", Cri.CreateContainerRequest.newBuilder().setPodSandboxId(podId).setConfig(config)
                    .setSandboxConfig(sandbox).build(), Cri.CreateContainerResponse.getDefaultInstance()).getContainerId();
            System.out.println("container " + id);
            call("StartContainer", Cri.StartContainerRequest.newBuilder().setContainerId(id).build(),
                    Cri.StartContainerResponse.getDefaultInstance());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (true) {
                Cri.ContainerStatus status = call("ContainerStatus", Cri.ContainerStatusRequest.newBuilder().setContainerId(id).build(),
                        Cri.ContainerStatusResponse.getDefaultInstance()).getStatus();
                if (status.getState() == Cri.ContainerState.CONTAINER_EXITED) {
                    System.out.println("exit " + status.getExitCode());
                    return 0;
                }
                if (System.nanoTime() > deadline) {
                    System.err.println("cri: container " + id + " still " + status.getState() + " after " + timeoutSeconds + " s");
                    return 1;
                }
                Thread.sleep(100);
            }
        } finally {
            if (!keep) {
                removePod(podId);
            }
        }
    }

    private void removePod(String podId) {
        try {
            call("StopPodSandbox", Cri.StopPodSandboxRequest.newBuilder().setPodSandboxId(podId).build(),
                    Cri.StopPodSandboxResponse.getDefaultInstance());
            call("RemovePodSandbox", Cri.RemovePodSandboxRequest.newBuilder().setPodSandboxId(podId).build(),
                    Cri.RemovePodSandboxResponse.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            // already reported by call(); the test's teardown cleans up what is left
        }
    }

    @SuppressWarnings("unchecked")
    private <Q extends Message, R extends Message> R call(String method, Q request, R responseType) {
        MethodDescriptor<Q, R> descriptor = MethodDescriptor.<Q, R>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(SERVICE + method)
                .setRequestMarshaller(ProtoUtils.marshaller((Q) request.getDefaultInstanceForType()))
                .setResponseMarshaller(ProtoUtils.marshaller(responseType)).build();
        try {
            return ClientCalls.blockingUnaryCall(channel, descriptor,
                    CallOptions.DEFAULT.withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS), request);
        } catch (StatusRuntimeException e) {
            System.err.println("cri: " + method + ": " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
            throw e;
        }
    }

    private static void put(Map<String, String> map, String kv) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("cri: " + kv + " is not KEY=VALUE");
        }
        map.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
}
