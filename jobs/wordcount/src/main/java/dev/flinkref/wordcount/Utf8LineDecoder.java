package dev.flinkref.wordcount;

import dev.flinkref.common.deadletter.MalformedRecordException;
import dev.flinkref.common.deadletter.RecordDecoder;
import dev.flinkref.common.kafka.KafkaInputRecord;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A record value as a line of text. Strict: malformed UTF-8 is rejected (and dead-lettered) rather
 * than replaced with U+FFFD, which would silently change the counts.
 */
final class Utf8LineDecoder implements RecordDecoder<String> {
    @Override
    public String decode(KafkaInputRecord record) throws MalformedRecordException {
        if (record.value == null) {
            throw new MalformedRecordException("record has no value (tombstone)");
        }
        ByteBuffer bytes = ByteBuffer.wrap(record.value);
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            // The decoder stops at the first bad sequence, so the position says where it is.
            throw new MalformedRecordException(
                    "value is not valid UTF-8: malformed byte sequence at offset "
                            + bytes.position());
        }
    }
}
