package io.contxray.bpf;

/** A recorded_cgroups value: the container slot and CX_CGROUP_* flags. */
public record CgroupEntry(int slot, int flags) {
    /** Inserted by user space for the container's own cgroup. */
    public boolean isRoot() {
        return (flags & Layout.CX_CGROUP_ROOT) != 0;
    }

    /** Inserted by the kernel program on cgroup_mkdir under a recorded cgroup. */
    public boolean isChild() {
        return (flags & Layout.CX_CGROUP_CHILD) != 0;
    }
}
