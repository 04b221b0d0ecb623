package dev.newsrec.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.serve.ServeServer;
import dev.newsrec.serve.ServedModel;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The inspection page at / in a real headless Chromium (Debian's chromium and chromium-driver,
 * which .ci/run installs): an impression picked from the list shows its history and the
 * candidates in the order and with the scores of /v1/rank, clicks marked as labelled; typed ids
 * rank the same way; an unknown id shows the server's error. Fails when Chromium is missing.
 */
class InspectionPageTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir static Path shared;
  static ServeServer server;
  static Impressions dev;

  @BeforeAll
  static void serve() {
    Path run = TinyNrmsRun.train(shared);
    server = ServeServer.start(ServeServer.Options.defaults().withPort(0).withThreads(2, 8), l -> {});
    ServedModel served = ServedModel.load(run, null, List.of(), null, l -> {});
    assertThat(served.devBehaviors()).isNotNull();
    dev = served.impressions(served.devBehaviors(), l -> {});
    server.ready(served, dev);
  }

  @AfterAll
  static void stop() {
    if (server != null) server.stop(Duration.ZERO);
  }

  static WebDriver browser() {
    assertThat(CHROMIUM).as("Debian's chromium (bash .ci/run installs it)").isExecutable();
    assertThat(DRIVER).as("Debian's chromium-driver (bash .ci/run installs it)").isExecutable();
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER.toString()))
        .usingAnyFreePort().build();
    return new ChromeDriver(service, o);
  }

  static JsonNode rank(List<String> history, List<String> candidates) throws Exception {
    ObjectMapper json = new ObjectMapper();
    var body = json.createObjectNode();
    history.forEach(body.putArray("history")::add);
    candidates.forEach(body.putArray("candidates")::add);
    body.put("k", candidates.size());
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.uri() + "/v1/rank"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json.readTree(r.body());
  }

  @Test
  void thePageShowsWhatTheApiRanksWithTheClicks() throws Exception {
    WebDriver b = browser();
    try {
      WebDriverWait wait = new WebDriverWait(b, Duration.ofSeconds(30));
      b.get(server.uri() + "/");
      wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
      assertThat(b.findElement(By.id("error")).getText()).isEmpty();
      assertThat(b.findElement(By.id("model")).getText()).contains("nrms model");
      Select pick = new Select(b.findElement(By.id("impression")));
      assertThat(pick.getOptions()).hasSize(dev.size());

      // The third impression with at least one history click and one click among the candidates.
      int i = -1;
      for (int k = 0, seen = 0; k < dev.size(); k++) {
        boolean clicked = false;
        for (int j = 0; j < dev.candidateCount(k); j++) clicked |= dev.label(k, j) == 1;
        if (dev.history(k).length > 0 && clicked && ++seen == 3) { i = k; break; }
      }
      assertThat(i).isNotNegative();
      pick.selectByValue(dev.impressionId(i));
      b.findElement(By.id("show")).click();
      int candidates = dev.candidateCount(i);
      wait.until(d -> d.findElements(By.cssSelector("#ranking tr.ranked")).size() == candidates);

      List<String> history = new ArrayList<>();
      for (int n : dev.history(i)) history.add(dev.corpus().id(n));
      List<String> cands = new ArrayList<>();
      for (int j = 0; j < candidates; j++) cands.add(dev.corpus().id(dev.candidate(i, j)));
      JsonNode want = rank(history, cands).get("ranking");

      List<WebElement> shownHistory = b.findElements(By.cssSelector("#history li.history-item"));
      assertThat(shownHistory).extracting(e -> e.getAttribute("data-id")).containsExactlyElementsOf(history);
      String firstTitle = dev.corpus().get(dev.history(i)[0]).title();
      assertThat(shownHistory.get(0).getText()).contains(firstTitle);

      List<WebElement> rows = b.findElements(By.cssSelector("#ranking tr.ranked"));
      for (int r = 0; r < rows.size(); r++) {
        WebElement row = rows.get(r);
        String id = want.get(r).get("id").asText();
        assertThat(row.getAttribute("data-id")).as("rank %d", r + 1).isEqualTo(id);
        assertThat(Double.parseDouble(row.findElement(By.cssSelector("td.score")).getText()))
            .isCloseTo(want.get(r).get("score").asDouble(), org.assertj.core.api.Assertions.within(1e-6));
        int j = cands.indexOf(id);
        assertThat(row.findElement(By.cssSelector("td.click")).getText()).as(id)
            .isEqualTo(dev.label(i, j) == 1 ? "clicked" : "-");
        assertThat(row.findElement(By.cssSelector("td.title")).getText())
            .isEqualTo(dev.corpus().get(dev.candidate(i, j)).title());
      }

      // Typed ids: the same ranking; no labels, so no click marks.
      b.findElement(By.id("history-ids")).sendKeys(String.join(" ", history));
      b.findElement(By.id("candidate-ids")).sendKeys(String.join(", ", cands));
      b.findElement(By.id("rank-ids")).click();
      wait.until(d -> d.findElements(By.cssSelector("#ranking tr.ranked")).size() == candidates
          && d.findElements(By.cssSelector("#ranking td.click")).stream().allMatch(e -> e.getText().isEmpty()));
      assertThat(b.findElements(By.cssSelector("#ranking tr.ranked"))).extracting(e -> e.getAttribute("data-id"))
          .containsExactlyElementsOf(want.findValuesAsText("id"));

      // An unknown id: the server's message, naming the field, and no ranking.
      b.findElement(By.id("candidate-ids")).sendKeys(" N-NOT-THERE");
      b.findElement(By.id("rank-ids")).click();
      wait.until(d -> !d.findElement(By.id("error")).getText().isEmpty());
      assertThat(b.findElement(By.id("error")).getText()).contains("candidates[" + candidates + "]")
          .contains("unknown news id 'N-NOT-THERE'");
      assertThat(b.findElements(By.cssSelector("#ranking tr.ranked"))).isEmpty();
    } finally {
      b.quit();
    }
  }

  @Test
  void theLookUpsNameTheirBadParameters() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    ObjectMapper json = new ObjectMapper();
    for (String[] c : new String[][] {
        {"/v1/impressions?limit=0", "400", "limit"}, {"/v1/impressions?offset=x", "400", "offset"},
        {"/v1/impressions/NOPE", "404", "id"}, {"/v1/news", "400", "ids"}, {"/v1/news?ids=N1,NOPE", "400", "ids[1]"}}) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.uri() + c[0])).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(c[0] + " " + r.body()).isEqualTo(Integer.parseInt(c[1]));
      assertThat(json.readTree(r.body()).get("field").asText()).as(c[0]).isEqualTo(c[2]);
    }
    HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(server.uri() + "/v1/impressions?offset=2&limit=3")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode l = json.readTree(list.body());
    assertThat(l.get("total").asInt()).isEqualTo(dev.size());
    assertThat(l.get("impressions").findValuesAsText("id")).containsExactly(dev.impressionId(2), dev.impressionId(3), dev.impressionId(4));
    assertThat(Files.exists(CHROMIUM)).isTrue();
  }
}
