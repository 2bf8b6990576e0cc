// The JWT Bearer login of golang.org/x/oauth2/jwt (Debian's golang-golang-x-oauth2-dev),
// as a Go service would write it: read the key file, jwt.Config{...}.TokenSource(ctx).Token().
//
//   drive_go URL KEYFILE CLIENT_ID USERNAME
//
// Prints what a Go program typically logs: the error returned, with log.Fatal's format.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"golang.org/x/oauth2/jwt"
)

func main() {
	url, keyfile, clientID, username := os.Args[1], os.Args[2], os.Args[3], os.Args[4]
	key, err := os.ReadFile(keyfile)
	if err != nil {
		log.SetFlags(0)
		log.Fatal(err)
	}
	conf := &jwt.Config{
		Email:      clientID,
		Subject:    username,
		PrivateKey: key,
		TokenURL:   url + "/services/oauth2/token",
		Audience:   url,
		Expires:    3 * time.Minute,
	}
	tok, err := conf.TokenSource(context.Background()).Token()
	if err != nil {
		log.SetFlags(0)
		log.Fatal(err)
	}
	fmt.Println("logged in", tok.Extra("instance_url"))
}
