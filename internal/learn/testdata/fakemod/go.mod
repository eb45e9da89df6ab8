module callbacklab

go 1.26.0
