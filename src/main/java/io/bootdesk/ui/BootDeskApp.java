package io.bootdesk.ui;

import io.bootdesk.engine.DataDirs;
import io.bootdesk.ui.model.ConsoleOptions;
import io.bootdesk.ui.model.ConsoleSession;
import java.nio.file.Path;
import java.util.List;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** The JavaFX application: one console window on the data dir given with --data-dir (or the default one). */
public final class BootDeskApp extends Application {
    private ConsoleSession session;
    private ConsoleWindow window;

    @Override
    public void start(Stage stage) {
        Path dataDir = dataDir(getParameters().getRaw());
        session = new ConsoleSession(ConsoleOptions.standard(dataDir));
        KvmPanel.browser = getHostServices()::showDocument;
        window = new ConsoleWindow(session);
        Scene scene = window.scene(1280, 800);
        stage.setTitle("BootDesk");
        stage.setScene(scene);
        stage.setMinWidth(900);
        stage.setMinHeight(560);
        stage.show();
        window.open();
        System.out.println("BootDesk console is open (data in " + dataDir + ")");
    }

    @Override
    public void stop() {
        DemoDialog.shutdown();
        if (window != null) {
            window.close();
        }
        if (session != null) {
            session.close();
        }
    }

    static Path dataDir(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--data-dir") && i + 1 < args.size()) {
                return Path.of(args.get(i + 1));
            }
            if (a.startsWith("--data-dir=")) {
                return Path.of(a.substring("--data-dir=".length()));
            }
        }
        return DataDirs.defaultDataDir();
    }
}
