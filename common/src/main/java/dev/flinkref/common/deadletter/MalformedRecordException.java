package dev.flinkref.common.deadletter;

/** The data of a record is wrong; the message says what, for the dead-letter headers. */
public class MalformedRecordException extends Exception {
    public MalformedRecordException(String message) {
        super(message);
    }
}
