package io.edgeloop.agent.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Valid solid-colour 8-bit RGB PNGs of any size, written row by row without holding the pixels: a 7000×7000 frame
 * (147 MB of pixels) compresses to about 150 kB and takes well under a second to write.
 */
public final class LargePng {

    private LargePng() {
    }

    public static byte[] solid(int width, int height, int red, int green, int blue) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream header = new DataOutputStream(ihdr);
        header.writeInt(width);
        header.writeInt(height);
        header.write(new byte[] {8, 2, 0, 0, 0}); // 8-bit, truecolour, deflate, adaptive filter, no interlace
        chunk(file, "IHDR", ihdr.toByteArray());
        byte[] row = new byte[1 + width * 3]; // filter byte 0 (none), then R, G, B
        for (int x = 0; x < width; x++) {
            row[1 + 3 * x] = (byte) red;
            row[2 + 3 * x] = (byte) green;
            row[3 + 3 * x] = (byte) blue;
        }
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_SPEED), 1 << 16)) {
            for (int y = 0; y < height; y++) {
                z.write(row);
            }
        }
        chunk(file, "IDAT", idat.toByteArray());
        chunk(file, "IEND", new byte[0]);
        return file.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream file, String type, byte[] payload) throws IOException {
        DataOutputStream out = new DataOutputStream(file);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(payload.length);
        out.write(name);
        out.write(payload);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(payload);
        out.writeInt((int) crc.getValue());
    }
}
