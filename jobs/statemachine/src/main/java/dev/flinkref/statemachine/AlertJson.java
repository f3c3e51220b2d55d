package dev.flinkref.statemachine;

import dev.flinkref.common.json.JsonText;
import java.nio.charset.StandardCharsets;

/**
 * The alert value: {@code {"address":"10.0.0.1","state":"W","event":"c","ts":1700000000000}}; the
 * record key is the address, UTF-8. The generator writes expected alerts in the same form.
 */
public final class AlertJson {
    private AlertJson() {}

    public static String encode(Alert alert) {
        return "{\"address\":"
                + JsonText.quote(Ipv4.format(alert.address))
                + ",\"state\":"
                + JsonText.quote(alert.state.label())
                + ",\"event\":"
                + JsonText.quote(alert.event.letter())
                + ",\"ts\":"
                + alert.timestamp
                + "}";
    }

    static byte[] key(Alert alert) {
        return Ipv4.format(alert.address).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] value(Alert alert) {
        return encode(alert).getBytes(StandardCharsets.UTF_8);
    }
}
