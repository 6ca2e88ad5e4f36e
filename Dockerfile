# The coopgraph API. Built by docker-compose.yml; see README.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/coopgraph ./cmd/coopgraph

FROM alpine:3.20
RUN adduser -D -H coopgraph
COPY --from=build /out/coopgraph /usr/local/bin/coopgraph
USER coopgraph
EXPOSE 8080
ENTRYPOINT ["coopgraph"]
CMD ["serve", "-seed", "-addr", "0.0.0.0:8080"]
