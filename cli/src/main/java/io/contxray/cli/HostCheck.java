package io.contxray.cli;

/** One line of `contxray doctor`: what was looked at, how it stands, what was found. */
record HostCheck(String name, Level level, String detail) {
    enum Level {
        OK("ok"), WARN("warn"), FAIL("FAIL"), INFO("info");

        final String label;

        Level(String label) {
            this.label = label;
        }
    }

    static HostCheck ok(String name, String detail) {
        return new HostCheck(name, Level.OK, detail);
    }

    static HostCheck warn(String name, String detail) {
        return new HostCheck(name, Level.WARN, detail);
    }

    static HostCheck fail(String name, String detail) {
        return new HostCheck(name, Level.FAIL, detail);
    }

    static HostCheck info(String name, String detail) {
        return new HostCheck(name, Level.INFO, detail);
    }
}
