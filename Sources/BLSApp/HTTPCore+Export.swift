// BLSApp's API is a function from HTTPRequest to HTTPResponse: whoever imports BLSApp gets
// the message types with it.
@_exported import HTTPCore
