package io.contxray.hook;

/** The OCI hook stages this hook serves, by the name the runtime config passes as argument. */
enum HookStage {
    CREATE_RUNTIME("createRuntime", true),
    /** For runtimes without createRuntime; runs at the same point, in the runtime namespace. */
    PRESTART("prestart", true),
    POSTSTOP("poststop", false);

    private final String argument;
    private final boolean registers;

    HookStage(String argument, boolean registers) {
        this.argument = argument;
        this.registers = registers;
    }

    String argument() {
        return argument;
    }

    /** True for the stages that start a recording, false for the one that ends it. */
    boolean registers() {
        return registers;
    }

    /** The stage named by {@code argument}, or null. */
    static HookStage of(String argument) {
        for (HookStage s : values()) {
            if (s.argument.equals(argument)) {
                return s;
            }
        }
        return null;
    }
}
