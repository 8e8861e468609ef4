"""The house's HTTP plumbing, shared by every app and knowing none of them: request helpers, throttles,
middleware, the bounded JSON parser, the API's conventions and the icon tag."""
