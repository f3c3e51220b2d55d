package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IntKeyMapTest {
    @Test
    void holdsWhatAHashMapHoldsThroughGrowthAndClear() throws Exception {
        IntKeyMap<String> map = new IntKeyMap<>(4);
        Map<Integer, String> expected = new HashMap<>();
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            int key = i % 3 == 0 ? 0x0A000000 + i : random.nextInt(); // a subnet and random keys
            if (map.get(key) == null) {
                map.putNew(key, "v" + key);
                expected.put(key, "v" + key);
            }
        }
        assertThat(map.size()).isEqualTo(expected.size());
        for (Map.Entry<Integer, String> entry : expected.entrySet()) {
            assertThat(map.get(entry.getKey())).isEqualTo(entry.getValue());
        }
        Map<Integer, String> walked = new HashMap<>();
        map.forEach(walked::put);
        assertThat(walked).isEqualTo(expected);

        map.clear();
        assertThat(map.size()).isZero();
        assertThat(map.get(0x0A000000)).isNull();
        map.putNew(0, "zero"); // key 0 is an ordinary key
        assertThat(map.get(0)).isEqualTo("zero");
    }
}
