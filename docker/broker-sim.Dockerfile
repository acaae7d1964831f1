# The broker-sim image: a simulated ZooKeeper-mode Kafka fleet with its dashboard. Build from
# the repository root after `./mvnw -DskipTests package`:
#   docker build -f docker/broker-sim.Dockerfile -t warden-broker-sim:dev .
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}

RUN useradd --system --uid 10002 --home-dir /opt/broker-sim --shell /usr/sbin/nologin brokersim \
 && mkdir -p /opt/broker-sim
COPY broker-sim/target/broker-sim.jar /opt/broker-sim/broker-sim.jar

USER brokersim
WORKDIR /opt/broker-sim
# the dashboard (and /metrics)
EXPOSE 8080
ENTRYPOINT ["java", "-Xmx512m", "-Dsun.net.inetaddr.ttl=1", "-jar", "/opt/broker-sim/broker-sim.jar"]
CMD ["--help"]
