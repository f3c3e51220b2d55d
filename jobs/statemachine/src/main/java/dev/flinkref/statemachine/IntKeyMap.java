package dev.flinkref.statemachine;

import java.util.Arrays;

/**
 * An open-addressing hash map from {@code int} to non-null values, without removal: filled, walked
 * and cleared as a whole. The keys sit in one {@code int[]}, so a lookup among 100,000 entries
 * costs about one cache miss where a {@code HashMap<Integer, V>} costs three (node, boxed key,
 * value); in the profile that was a tenth of the state-machine job's CPU.
 */
final class IntKeyMap<V> {
    private static final float MAX_LOAD = 0.5f;

    private int[] keys;
    private V[] values;
    private int mask;
    private int shift;
    private int size;

    /** What {@link #forEach} does with each entry. */
    @FunctionalInterface
    interface EntryAction<V> {
        void accept(int key, V value) throws Exception;
    }

    IntKeyMap(int expectedSize) {
        allocate(Integer.highestOneBit(Math.max(2, (int) (expectedSize / MAX_LOAD)) - 1) << 1);
    }

    @SuppressWarnings("unchecked")
    private void allocate(int capacity) {
        keys = new int[capacity];
        values = (V[]) new Object[capacity];
        mask = capacity - 1;
        shift = 32 - Integer.numberOfTrailingZeros(capacity);
    }

    int size() {
        return size;
    }

    /** The value of {@code key}, or {@code null}. */
    V get(int key) {
        for (int slot = slot(key); ; slot = (slot + 1) & mask) {
            V value = values[slot];
            if (value == null || keys[slot] == key) {
                return value;
            }
        }
    }

    /** Adds {@code key}, which must not be in the map yet. */
    void putNew(int key, V value) {
        if (size + 1 > MAX_LOAD * keys.length) {
            grow();
        }
        int slot = slot(key);
        while (values[slot] != null) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        values[slot] = value;
        size++;
    }

    void forEach(EntryAction<V> action) throws Exception {
        for (int slot = 0; slot < values.length; slot++) {
            if (values[slot] != null) {
                action.accept(keys[slot], values[slot]);
            }
        }
    }

    void clear() {
        if (size > 0) {
            Arrays.fill(values, null);
            size = 0;
        }
    }

    private void grow() {
        int[] oldKeys = keys;
        V[] oldValues = values;
        allocate(keys.length * 2);
        size = 0;
        for (int slot = 0; slot < oldValues.length; slot++) {
            if (oldValues[slot] != null) {
                putNew(oldKeys[slot], oldValues[slot]);
            }
        }
    }

    /** Fibonacci hashing: addresses of one subnet differ in their low bits only. */
    private int slot(int key) {
        return (key * 0x9E3779B9) >>> shift;
    }
}
