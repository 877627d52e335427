/// The bundled nginx configuration template, the same text as `nginx/bls.conf.template`
/// (a test keeps the two identical). Compiled in so `bls-fcgi run` needs no file beside it;
/// `--nginx-template PATH` uses another.
enum RunNginxTemplate {
  static let text = #"""
    # BLS: the bundled nginx configuration, a template that `bls-fcgi run` renders at start.
    # The names in double braces are filled in from the configuration (see nginx/README.md);
    # print the rendered file with `bls-fcgi run --print-nginx-config`.
    #
    # nginx runs as the same non-root user as the responder: no `user` directive (one is added
    # only when started as root), and the pid file and every temporary path live under one
    # writable runtime directory, so a read-only root filesystem works.
    {{USER_DIRECTIVE}}
    daemon off;
    worker_processes auto;
    worker_shutdown_timeout 5s;
    pid {{RUNTIME_DIR}}/nginx.pid;
    error_log stderr warn;

    events {
      worker_connections 1024;
    }

    http {
      server_tokens off;
      default_type application/json;

      client_body_temp_path {{RUNTIME_DIR}}/client_body;
      fastcgi_temp_path {{RUNTIME_DIR}}/fastcgi;
      proxy_temp_path {{RUNTIME_DIR}}/proxy;
      uwsgi_temp_path {{RUNTIME_DIR}}/uwsgi;
      scgi_temp_path {{RUNTIME_DIR}}/scgi;

      log_format bls '$remote_addr [$time_iso8601] "$request" $status $body_bytes_sent '
                     '$request_time $upstream_response_time';
      access_log {{ACCESS_LOG}};

      # The responder answers 413 beyond the same limit; nginx rejects first, without passing
      # the body on. Bodies within the limit stay in memory.
      client_max_body_size {{MAX_BODY_BYTES}};
      client_body_buffer_size {{MAX_BODY_BYTES}};
      client_header_timeout 10s;
      client_body_timeout 10s;
      send_timeout 10s;
      keepalive_timeout 65s;
      keepalive_requests 10000;
      reset_timedout_connection on;

      upstream bls_responder {
        server unix:{{SOCKET}};
        keepalive 32;
        keepalive_requests 10000;
        keepalive_timeout 60s;
      }

      server {
        listen {{LISTEN}};
        server_name _;

        # nginx's own errors in the reject shape of the contract, never an HTML page:
        # F00 for a request that cannot be served, T00 when the responder is down or slow.
        error_page 400 @bad_request;
        error_page 413 @too_large;
        error_page 414 @uri_too_long;
        error_page 494 @headers_too_large;
        error_page 500 @internal_error;
        error_page 502 @bad_gateway;
        error_page 503 @unavailable;
        error_page 504 @gateway_timeout;

        location / {
          fastcgi_pass bls_responder;
          fastcgi_keep_conn on;
          fastcgi_next_upstream off;
          fastcgi_connect_timeout 2s;
          fastcgi_send_timeout 10s;
          fastcgi_read_timeout 30s;
          fastcgi_param GATEWAY_INTERFACE CGI/1.1;
          fastcgi_param REQUEST_METHOD $request_method;
          fastcgi_param REQUEST_URI $request_uri;
          fastcgi_param QUERY_STRING $query_string;
          fastcgi_param CONTENT_TYPE $content_type;
          fastcgi_param CONTENT_LENGTH $content_length;
          fastcgi_param SERVER_PROTOCOL $server_protocol;
          fastcgi_param REMOTE_ADDR $remote_addr;
        }

        location @bad_request {
          return 400 '{"accept":false,"code":"F00","message":"Bad request: the HTTP request could not be parsed"}';
        }
        location @too_large {
          return 413 '{"accept":false,"code":"F00","message":"Request body too large: the limit is {{MAX_BODY_BYTES}} bytes"}';
        }
        location @uri_too_long {
          return 414 '{"accept":false,"code":"F00","message":"Request URI too long"}';
        }
        location @headers_too_large {
          return 431 '{"accept":false,"code":"F00","message":"Request header fields too large"}';
        }
        location @internal_error {
          return 500 '{"accept":false,"code":"T00","message":"Internal error in the web server"}';
        }
        location @bad_gateway {
          return 502 '{"accept":false,"code":"T00","message":"BLS responder unavailable"}';
        }
        location @unavailable {
          return 503 '{"accept":false,"code":"T00","message":"Service unavailable"}';
        }
        location @gateway_timeout {
          return 504 '{"accept":false,"code":"T00","message":"BLS responder timed out"}';
        }
      }
    }

    """#
}
