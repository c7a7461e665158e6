package io.contxray.shim;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The mapper for other programs' configuration files (config.json, daemon.json): numbers stay as
 * written. Big decimals with their trailing zeros (1.50 stays 1.50); longs and BigIntegers are
 * kept by default, so uint64 limits survive.
 */
final class LosslessJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private LosslessJson() {
    }
}
