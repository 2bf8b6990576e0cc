// A JWT Bearer login the way Java guides write it with the JDK alone: read the PEM, strip the
// armour, Base64-decode, KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec),
// sign with SHA256withRSA, POST with HttpURLConnection; exceptions are left uncaught.
//
//   javac -d OUT JwtBearer.java && java -cp OUT [-Darmour=any] JwtBearer URL KEYFILE CONSUMER_KEY USERNAME
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

public class JwtBearer {
    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static void main(String[] args) throws Exception {
        String url = args[0], keyFile = args[1], clientId = args[2], user = args[3];
        String pem = new String(Files.readAllBytes(Paths.get(keyFile)), StandardCharsets.UTF_8);
        // -Darmour=any: strip whatever armour lines there are (the other common way to write it)
        String base64 = "any".equals(System.getProperty("armour"))
                ? pem.replaceAll("-----(BEGIN|END) [A-Z0-9 ]+-----", "").replaceAll("\\s", "")
                : pem.replace("-----BEGIN PRIVATE KEY-----", "")
                        .replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(base64);
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));

        long exp = System.currentTimeMillis() / 1000 + 180;
        String header = b64("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64(("{\"iss\":\"" + clientId + "\",\"sub\":\"" + user
                + "\",\"aud\":\"https://login.salesforce.com\",\"exp\":" + exp + "}")
                .getBytes(StandardCharsets.UTF_8));
        Signature sig = Signature.getInstance("SHA256withRSA");
        sig.initSign(key);
        sig.update((header + "." + claims).getBytes(StandardCharsets.UTF_8));
        String assertion = header + "." + claims + "." + b64(sig.sign());

        String body = "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer", "UTF-8")
                + "&assertion=" + URLEncoder.encode(assertion, "UTF-8");
        HttpURLConnection conn = (HttpURLConnection) new URL(url + "/services/oauth2/token").openConnection();
        conn.setRequestMethod("POST");
        conn.setDoOutput(true);
        conn.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        try (OutputStream os = conn.getOutputStream()) {
            os.write(body.getBytes(StandardCharsets.UTF_8));
        }
        int status = conn.getResponseCode();
        InputStream in = status < 400 ? conn.getInputStream() : conn.getErrorStream();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        if (in != null) in.transferTo(buf);
        System.out.println("HTTP " + status + " " + buf.toString("UTF-8"));
        if (status != 200) {
            conn.getInputStream(); // what a client that reads the body unconditionally gets
        }
    }
}
