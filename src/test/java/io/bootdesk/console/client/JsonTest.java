package io.bootdesk.console.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsWhatRedfishAndKvmdSend() {
        Object v = Json.parse(" {\"a\": [1, -2.5e3, true, false, null], \"s\": \"q\\\"\\\\\\/\\n\\u00e9\", \"o\": {}} ");
        assertThat(Json.at(v, "a")).isEqualTo(Arrays.asList(new BigDecimal("1"), new BigDecimal("-2.5e3"), true, false, null));
        assertThat(Json.string(v, "s")).isEqualTo("q\"\\/\n\u00e9");
        assertThat(Json.object(v, "o")).isEmpty();
        assertThat(Json.string(v, "missing", "deeper")).isNull();
    }

    @Test
    void writesAndReadsBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Boot", Map.of("HttpBootUri", "http://x/\"y\"\t"));
        m.put("n", 3);
        m.put("l", List.of("a", true));
        m.put("z", null);
        String text = Json.write(m);
        assertThat(text).startsWith("{\"Boot\":{\"HttpBootUri\":\"http://x/\\\"y\\\"\\t\"},\"n\":3,");
        assertThat(Json.string(Json.parse(text), "Boot", "HttpBootUri")).isEqualTo("http://x/\"y\"\t");
    }

    @Test
    void rejectsMalformedInput() {
        for (String bad : List.of("", "{", "{\"a\" 1}", "[1,]", "tru", "{\"a\":1} x", "\"\\q\"")) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
