package org.elastichadoop.iscsi.login;

/** Login response status class and detail (RFC 7143 section 11.13.5). */
enum LoginStatus {
    SUCCESS(0x00, 0x00),
    INITIATOR_ERROR(0x02, 0x00),
    AUTHENTICATION_FAILURE(0x02, 0x01),
    AUTHORIZATION_FAILURE(0x02, 0x02),
    NOT_FOUND(0x02, 0x03),
    UNSUPPORTED_VERSION(0x02, 0x05),
    TOO_MANY_CONNECTIONS(0x02, 0x06),
    MISSING_PARAMETER(0x02, 0x07),
    SESSION_TYPE_NOT_SUPPORTED(0x02, 0x09),
    SESSION_DOES_NOT_EXIST(0x02, 0x0a),
    INVALID_REQUEST_DURING_LOGIN(0x02, 0x0b),
    TARGET_ERROR(0x03, 0x00),
    OUT_OF_RESOURCES(0x03, 0x02);

    final int statusClass;
    final int detail;

    LoginStatus(int statusClass, int detail) {
        this.statusClass = statusClass;
        this.detail = detail;
    }
}
