package io.contxray.detect;

import java.util.List;

/** What a condition can ask about one event: a field's values (empty when the field does not apply). */
interface Facts {
    List<String> values(String field);
}
