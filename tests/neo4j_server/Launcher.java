// A Neo4j Community 5.26 server for netmap's tests and benchmark, run without a build:
//
//   java -cp 'lib/*' Launcher.java <dir> <port> [auth-password]
//
// <dir>  a folder for the server; the database lives in <dir>/data, so a restart on the
//        same <dir> reopens it (and recovers it after a crash)
// <port> the Bolt port, bound to 127.0.0.1 only
// [auth-password] when given, authentication is on and user "neo4j" has this password
//
// Prints "READY bolt://127.0.0.1:<port>" once Bolt accepts connections and runs until its
// standard input closes or it receives SIGTERM. Settings come from environment variables:
// NETMAP_NEO4J_PAGECACHE (bytes, default 256 MiB).

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;

public class Launcher {
    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: java -cp 'lib/*' Launcher.java <dir> <port> [auth-password]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = args.length == 3 ? args[2] : null;
        Files.createDirectories(dir);

        long pageCache = Long.parseLong(System.getenv().getOrDefault("NETMAP_NEO4J_PAGECACHE", "268435456"));
        Neo4jBuilder builder = Neo4jBuilders.newInProcessBuilder(dir)
                .withDisabledServer()
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .withConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .withConfig(HttpConnector.enabled, false)
                .withConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                // Data under <dir>/data (not the harness's random folder), so that a server
                // started again on the same <dir> finds the same database (crash tests).
                .withConfig(GraphDatabaseSettings.data_directory, dir.resolve("data"))
                .withConfig(GraphDatabaseSettings.auth_enabled, password != null);
        Neo4j neo4j = builder.build();

        if (password != null) {
            // The embedded API bypasses authentication, so the initial password can be set here.
            neo4j.databaseManagementService().database("system").executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        }

        CountDownLatch stop = new CountDownLatch(1);
        Thread closer = new Thread(() -> {
            try {
                neo4j.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        });
        Runtime.getRuntime().addShutdownHook(closer);

        System.out.println("READY " + neo4j.boltURI());
        System.out.flush();

        // Stop when standard input closes (the parent process went away or closed the pipe).
        Thread watcher = new Thread(() -> {
            try {
                InputStream in = System.in;
                byte[] buffer = new byte[256];
                while (in.read(buffer) >= 0) {
                    // ignore anything written
                }
            } catch (Exception e) {
                // treat as closed
            }
            stop.countDown();
        });
        watcher.setDaemon(true);
        watcher.start();
        stop.await();
        System.out.println("STOPPING");
        System.out.flush();
        System.exit(0); // runs the shutdown hook, which closes the database
    }
}
