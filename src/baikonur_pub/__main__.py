from .cli import main

main(prog_name="baikonur-pub")
