#!/usr/bin/env ruby
# One JWT Bearer login through a Ruby client's own code path; exceptions are left uncaught.
#
#   ruby drive_ruby.rb CLIENT URL KEYFILE CONSUMER_KEY USERNAME
#   CLIENT: oauth2 (the oauth2 gem's assertion strategy, key read with OpenSSL::PKey::RSA.new
#           as restforce does) | jwt-nethttp (the jwt gem + Net::HTTP, Net::HTTPResponse#value)
$stdout.sync = true  # print in order with stderr, as on a terminal
require "openssl"
require "jwt"

client, url, keyfile, consumer_key, username = ARGV
claims = { iss: consumer_key, sub: username, aud: "https://login.salesforce.com",
           exp: Time.now.to_i + 180 }

case client
when "oauth2"
  require "oauth2"
  key = OpenSSL::PKey::RSA.new(File.read(keyfile))
  oauth = OAuth2::Client.new(consumer_key, nil, site: url, token_url: "/services/oauth2/token")
  # oauth2 1.x's assertion strategy takes iss/prn/aud/exp and a private_key
  token = oauth.assertion.get_token(iss: consumer_key, prn: username, aud: claims[:aud],
                                    exp: claims[:exp], private_key: key)
  puts "logged in #{token.params["instance_url"]}"
when "jwt-nethttp"
  require "net/http"
  key = OpenSSL::PKey::RSA.new(File.read(keyfile))
  assertion = JWT.encode(claims, key, "RS256")
  res = Net::HTTP.post_form(URI("#{url}/services/oauth2/token"),
                            "grant_type" => "urn:ietf:params:oauth:grant-type:jwt-bearer",
                            "assertion" => assertion)
  puts "#{res.code} #{res.body}"
  res.value
  puts "logged in"
else
  abort "unknown client #{client}"
end
