import com.adobe.epubcheck.tool.EpubChecker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * EPUBCheck on every EPUB named on the command line, in one JVM (baikonur_pub.validate runs it
 * with `java -cp epubcheck.jar EpubCheckMany.java A.epub B.epub ...`): starting Java and warming
 * EPUBCheck up costs several seconds of CPU, checking one more file a fraction of a second.
 * Each file's own output, exactly what `java -jar epubcheck.jar FILE` prints, comes between a
 * NUL "BEGIN path" line and a NUL "END exit-code" line.
 */
public class EpubCheckMany {
    public static void main(String[] args) throws Exception {
        PrintStream out = System.out, err = System.err;
        for (String path : args) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
            System.setOut(capture);
            System.setErr(capture);
            int code;
            try {
                code = new EpubChecker().run(new String[] {path});
            } catch (Throwable t) {
                t.printStackTrace(capture);
                code = -1;
            } finally {
                capture.flush();
                System.setOut(out);
                System.setErr(err);
            }
            out.println("\u0000BEGIN " + path);
            out.write(buffer.toByteArray());
            out.println("\u0000END " + code);
            out.flush();
        }
    }
}
