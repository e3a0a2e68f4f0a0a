package dev.dealgraph.neo4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.io.ByteUnit;

/**
 * Runs one Neo4j Community DBMS in-process with its Bolt connector, so that machines without
 * Docker (and without a Debian package for Neo4j) still get a real server that the official
 * JavaScript driver talks to over the network, exactly as it would talk to a packaged Neo4j.
 *
 * <p>Usage: {@code java -cp ... dev.dealgraph.neo4j.Neo4jLauncher --home DIR --port 7687
 * [--address 127.0.0.1] [--page-cache-mb 256]}. The password comes from the environment
 * variable {@code NEO4J_LAUNCHER_PASSWORD} (never from the command line, where {@code ps} would
 * show it); without it authentication is disabled.
 */
public final class Neo4jLauncher {
  private Neo4jLauncher() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parseOptions(args);
    Path home = Path.of(require(options, "home")).toAbsolutePath();
    int port = Integer.parseInt(require(options, "port"));
    String address = options.getOrDefault("address", "127.0.0.1");
    long pageCacheMb = Long.parseLong(options.getOrDefault("page-cache-mb", "256"));
    String password = System.getenv("NEO4J_LAUNCHER_PASSWORD");
    boolean authEnabled = password != null && !password.isEmpty();

    Files.createDirectories(home);
    DatabaseManagementService dbms =
        new DatabaseManagementServiceBuilder(home)
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress(address, port))
            .setConfig(BoltConnector.advertised_address, new SocketAddress(address, port))
            .setConfig(GraphDatabaseSettings.auth_enabled, authEnabled)
            .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
            .build();

    try {
      if (authEnabled) {
        setPassword(dbms, password);
      }
    } catch (RuntimeException e) {
      // Never leave a half-started server behind: the script would find the port open.
      dbms.shutdown();
      throw e;
    }

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("neo4j-launcher: shutting down");
                  dbms.shutdown();
                  stopped.countDown();
                },
                "neo4j-launcher-shutdown"));

    System.out.printf(
        "neo4j-launcher: ready bolt://%s:%d home=%s auth=%s%n", address, port, home, authEnabled);
    stopped.await();
  }

  /**
   * The embedded API runs with full rights, so it can set the password that `neo4j-admin dbms
   * set-initial-password` would set on a packaged server. It runs at every start so that the
   * server always takes the password from the environment; Neo4j refuses to "change" a password
   * to the one it already has, which here just means there is nothing to do.
   */
  private static void setPassword(DatabaseManagementService dbms, String password) {
    try {
      dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)
          .executeTransactionally(
              "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
              Map.of("password", password));
    } catch (QueryExecutionException e) {
      boolean unchanged =
          e.getMessage() != null && e.getMessage().contains("Old password and new password cannot be the same");
      if (!unchanged) {
        throw e;
      }
    }
  }

  private static Map<String, String> parseOptions(String[] args) {
    java.util.HashMap<String, String> options = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got: " + arg);
      }
      options.put(arg.substring(2), args[++i]);
    }
    return options;
  }

  private static String require(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException("missing required option --" + name);
    }
    return value;
  }
}
