package io.tokenkit.oauth2;

import java.math.BigInteger;

/**
 * Converts the JDK's DER-encoded ECDSA signatures to the fixed-length {@code R || S} form
 * a JWS carries (RFC 7518 §3.4).
 */
final class JwsSignatures {

	private JwsSignatures() {
	}

	/**
	 * Return {@code R || S}, each left-padded to {@code length} bytes, of a DER
	 * {@code SEQUENCE { INTEGER r, INTEGER s }}.
	 * @param der the DER signature
	 * @param length the length of R and of S in bytes, 32 for P-256
	 * @return the concatenated signature
	 */
	static byte[] derToConcatenated(byte[] der, int length) {
		int offset = 2;
		if ((der[1] & 0x80) != 0) {
			offset += der[1] & 0x7f;
		}
		byte[] result = new byte[2 * length];
		offset = copyInteger(der, offset, result, 0, length);
		copyInteger(der, offset, result, length, length);
		return result;
	}

	private static int copyInteger(byte[] der, int offset, byte[] target, int targetOffset, int length) {
		if (der[offset] != 0x02) {
			throw new IllegalArgumentException("Not a DER ECDSA signature");
		}
		int size = der[offset + 1];
		byte[] value = new byte[size];
		System.arraycopy(der, offset + 2, value, 0, size);
		byte[] unsigned = new BigInteger(1, value).toByteArray();
		int start = (unsigned.length > length) ? unsigned.length - length : 0;
		int count = unsigned.length - start;
		System.arraycopy(unsigned, start, target, targetOffset + length - count, count);
		return offset + 2 + size;
	}

}
