import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * Counts BootDesk's leases whose MAC matches a LIKE pattern, for machines without the sqlite3 CLI:
 * {@code java -cp 'target/lib/*' bench/dhcp-storm/CountLeases.java DATA_DIR/bootdesk.db '00:0c%'}.
 * Uses the sqlite-jdbc driver BootDesk itself ships in target/lib.
 */
public final class CountLeases {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: CountLeases DB_FILE MAC_LIKE_PATTERN");
            System.exit(2);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + args[0]);
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM leases WHERE mac LIKE ?")) {
            ps.setString(1, args[1]);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                System.out.println(rs.getLong(1));
            }
        }
    }
}
