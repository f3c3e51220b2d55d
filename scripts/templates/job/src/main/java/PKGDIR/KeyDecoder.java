package dev.flinkref.__pkg__;

import dev.flinkref.common.deadletter.MalformedRecordException;
import dev.flinkref.common.deadletter.RecordDecoder;
import dev.flinkref.common.kafka.KafkaInputRecord;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * An event's key: its value as UTF-8 text, trimmed. Strict: malformed UTF-8, a blank value or a
 * tombstone is rejected with the reason (and dead-lettered), never guessed at.
 */
final class KeyDecoder implements RecordDecoder<String> {
    @Override
    public String decode(KafkaInputRecord record) throws MalformedRecordException {
        if (record.value == null) {
            throw new MalformedRecordException("record has no value (tombstone)");
        }
        String text;
        try {
            text =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(record.value))
                            .toString()
                            .trim();
        } catch (CharacterCodingException e) {
            throw new MalformedRecordException("value is not valid UTF-8");
        }
        if (text.isEmpty()) {
            throw new MalformedRecordException("value is blank");
        }
        return text;
    }
}
