package io.warden.it.docker;

import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The image docker/Dockerfile builds, from the jar this build produced. The base image comes from
 * the {@code BASE_IMAGE} environment variable (CI builds a local JRE image, no registry there);
 * without it, the Dockerfile's default is pulled.
 */
final class WardenImage {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static ImageFromDockerfile image;

  private WardenImage() {
  }

  static synchronized ImageFromDockerfile get() {
    if (image == null) {
      Path jar = ROOT.resolve("coordinator/target/warden.jar");
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(jar + " is missing: the coordinator module must be packaged first");
      }
      ImageFromDockerfile img = new ImageFromDockerfile("warden-it", false)
          .withFileFromPath("docker/Dockerfile", ROOT.resolve("docker/Dockerfile"))
          .withFileFromPath("docker/entrypoint.sh", ROOT.resolve("docker/entrypoint.sh"))
          .withFileFromPath("docker/healthcheck.sh", ROOT.resolve("docker/healthcheck.sh"))
          .withFileFromPath("coordinator/target/warden.jar", jar)
          .withDockerfilePath("docker/Dockerfile");
      String base = System.getenv("BASE_IMAGE");
      if (base != null && !base.isBlank()) {
        img = img.withBuildArg("BASE_IMAGE", base);
      }
      image = img;
    }
    return image;
  }
}
