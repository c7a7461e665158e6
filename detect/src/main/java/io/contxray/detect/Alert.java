package io.contxray.detect;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.contxray.model.ContainerEvent;
import java.util.List;

/**
 * One line of {@code <containerDir>/alerts.jsonl}: a rule matched an event of a watched container.
 *
 * @param time        the event's time (ISO-8601 UTC)
 * @param detected    when the daemon matched it
 * @param session     init or exec (see {@link Fields}), when the process is known
 * @param ancestry    the event's process first, then its parents up to pid 1 or to the first
 *                    process of an exec session; empty when the process was never seen
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"time", "detected", "rule", "level", "description", "container", "session", "event", "ancestry"})
public record Alert(String time, String detected, String rule, String level, String description, Container container,
                    String session, ContainerEvent event, List<Proc.Ancestor> ancestry) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Container(String id, String name, String image) {
    }

    /** The daemon log's line: level, rule, container, what happened. */
    public String logLine() {
        String who = container.name() != null ? container.name() + " (" + shortId(container.id()) + ")" : shortId(container.id());
        StringBuilder s = new StringBuilder("alert ").append(level).append(' ').append(rule).append(" in ").append(who);
        if (container.image() != null) {
            s.append(" image ").append(container.image());
        }
        s.append(": ").append(description).append(" [").append(Describe.event(event)).append(']');
        if (!ancestry.isEmpty()) {
            s.append(" ancestry ").append(Describe.ancestry(ancestry));
        }
        return s.toString();
    }

    static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
