package io.warden.brokersim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.brokersim.broker.SimListener;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless browser (Debian's chromium through chromedriver): the page
 * shows the live fleet, a click on "Kill controller" is followed by a new controller epoch and
 * the fault in the timeline, and a screenshot is saved to target/dashboard.png.
 *
 * <p>Needs chromium and chromedriver ({@code apt-get install -y chromium chromium-driver}; CI's
 * .ci/run installs them). Without them the test fails with that instruction rather than skip:
 * the build refuses skipped tests, and a skip would hide a missing install in CI.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DashboardBrowserTest {
  private static final long SEED = 5;
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static Demo demo;
  private static WebDriver driver;

  @BeforeAll
  static void start() throws Exception {
    System.out.println("DashboardBrowserTest seed " + SEED);
    File chromium = tool("BROKER_SIM_CHROMIUM", "/usr/bin/chromium");
    File chromedriver = tool("BROKER_SIM_CHROMEDRIVER", "/usr/bin/chromedriver");
    demo = Demo.start(new Demo.Settings(Files.createTempDirectory("dashboard-browser-"), 4, 2, 4, 3,
        SEED, 0), new SimListener() {
    });
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    // --no-sandbox: CI runs as root, where chromium's sandbox refuses to start
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1400,1100", "--no-first-run", "--disable-extensions");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver)
        .usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
  }

  private static File tool(String envVar, String defaultPath) {
    String path = System.getenv().getOrDefault(envVar, defaultPath);
    File f = new File(path);
    if (!f.canExecute()) {
      throw new IllegalStateException(path + " is missing: the dashboard browser test needs Debian's "
          + "chromium and chromedriver. Install them with `sudo apt-get install -y chromium "
          + "chromium-driver`, or point " + envVar + " at your copy.");
    }
    return f;
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (demo != null) {
      demo.close();
    }
  }

  private static String text(String id) {
    return driver.findElement(By.id(id)).getText();
  }

  @Test
  void aControllerKillClickedInTheBrowserShowsUpLive() throws Exception {
    WebDriverWait wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(100));
    driver.get(demo.dashboardUrl().orElseThrow());
    wait.until(ExpectedConditions.textToBe(By.id("connection"), "live"));
    wait.until(d -> text("controller-epoch").matches("[1-9][0-9]*") && text("controller-id").startsWith("broker ")
        && text("offline-partitions").equals("0")
        && d.findElements(By.cssSelector("#brokers tr")).size() == 4
        && d.findElements(By.cssSelector("#coordinators tr")).size() == 3
        && d.findElements(By.cssSelector("#coordinators .pill.leader")).size() == 1
        && d.findElements(By.cssSelector(".partition")).size() == 8
        && d.findElements(By.cssSelector("#timeline li.BROKER_REGISTERED")).size() >= 4);
    int epoch = Integer.parseInt(text("controller-epoch"));
    String controller = text("controller-id");

    driver.findElement(By.id("kill-controller")).click();

    wait.until(ExpectedConditions.textToBe(By.id("fault-result"), "killed the controller, " + controller));
    wait.until(d -> d.findElements(By.cssSelector("#timeline li.FAULT")).stream()
        .anyMatch(li -> li.getText().contains("kill " + controller)));
    wait.until(d -> Integer.parseInt(text("controller-epoch")) > epoch
        && !text("controller-id").equals(controller) && text("controller-id").startsWith("broker ")
        && text("offline-partitions").equals("0"));
    WebElement killed = driver.findElement(By.cssSelector("#brokers tr[data-broker='"
        + controller.substring("broker ".length()) + "']"));
    wait.until(d -> killed.getText().contains("KILLED"));
    wait.until(d -> d.findElements(By.cssSelector("#timeline li.CONTROLLER_ELECTED")).stream()
        .anyMatch(li -> li.getText().contains("epoch " + (epoch + 1))));

    byte[] png = ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES);
    Path out = Path.of("target", "dashboard.png");
    Files.createDirectories(out.getParent());
    Files.write(out, png);
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    assertThat(png.length).isGreaterThan(20_000);
  }
}
