package dev.newsrec.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.newsrec.core.UserException;
import org.junit.jupiter.api.Test;

class EnginesTest {
  @Test
  void preparesOfflineEngineOnCpu() {
    Engines.prepare();
    assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
    assertThat(System.getProperty(Engines.CACHE_DIR_KEY)).isNotBlank();
    assertThat(Engines.device("cpu")).isEqualTo(Device.cpu());
    assertThat(Engines.engine().getEngineName()).isEqualTo("PyTorch");
  }

  @Test
  void threadsCanBeSet() {
    int before = Engines.threads();
    Engines.setThreads(1);
    assertThat(Engines.threads()).isEqualTo(1);
    Engines.setThreads(before);
  }

  @Test
  void badDeviceIsAUserError() {
    assertThatThrownBy(() -> Engines.device("tpu")).isInstanceOf(UserException.class);
    assertThatThrownBy(() -> Engines.device("gpu:x")).isInstanceOf(UserException.class);
    if (Engines.engine().getGpuCount() == 0) {
      assertThatThrownBy(() -> Engines.device("gpu")).isInstanceOf(UserException.class)
          .hasMessageContaining("0 GPU");
    } else {
      assertThat(Engines.device("gpu")).isEqualTo(Device.gpu(0));
    }
  }
}
