# Build stage: the shaded jar.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY core/pom.xml core/
COPY projections/pom.xml projections/
COPY migration/pom.xml migration/
COPY app/pom.xml app/
RUN mvn -B -q dependency:go-offline -DexcludeGroupIds=org.meshhub || true
COPY core core
COPY projections projections
COPY migration migration
COPY app app
RUN mvn -B -q -DskipTests package

# Run stage: a JRE, a non-root user, the jar.
FROM eclipse-temurin:17-jre
RUN groupadd --system meshhub && useradd --system --gid meshhub --home-dir /data meshhub \
    && mkdir -p /data && chown meshhub:meshhub /data
COPY --from=build /src/app/target/meshhub.jar /app/meshhub.jar
USER meshhub
WORKDIR /data
ENV DATA_HOME=/data API_PORT=8000
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/${API_PORT} && printf "GET /health/ready HTTP/1.0\r\n\r\n" >&3 && head -n 1 <&3 | grep -q " 200 "'
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/meshhub.jar"]
CMD ["serve"]
