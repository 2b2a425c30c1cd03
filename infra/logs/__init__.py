"""`python -m infra.logs`: the logs of every host of an inventory, merged by time (see
``__main__``); ``entries`` reads, merges and filters them."""
