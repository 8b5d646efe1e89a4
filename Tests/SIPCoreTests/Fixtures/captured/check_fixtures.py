#!/usr/bin/env python3
"""Checks the captured SIP fixtures: header section ends with CRLFCRLF, every header line
ends with CRLF (no bare CR/LF), Content-Length (or compact `l`) equals the body's byte count
(a message without Content-Length must have no body), and README.md names every file.
Usage: python3 check_fixtures.py [DIR]   (exit status 1 on any problem)"""
import os, re, sys

d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
readme = open(os.path.join(d, 'README.md'), encoding='utf-8').read()
bad = 0
for name in sorted(f for f in os.listdir(d) if f.endswith('.sip')):
    data = open(os.path.join(d, name), 'rb').read()
    problems = []
    end = data.find(b'\r\n\r\n')
    if end < 0:
        problems.append('no CRLFCRLF after the header section')
    else:
        head, body = data[:end + 2], data[end + 4:]
        if re.search(rb'(?<!\r)\n|\r(?!\n)', head):
            problems.append('header line not ending in CRLF')
        cls = re.findall(rb'(?im)^(?:content-length|l)[ \t]*:[ \t]*(\d+)[ \t]*\r$', head)
        if len(cls) > 1:
            problems.append('several Content-Length headers')
        elif cls and int(cls[0]) != len(body):
            problems.append(f'Content-Length {int(cls[0])} != body {len(body)} bytes')
        elif not cls and body:
            problems.append(f'no Content-Length but a {len(body)}-byte body')
    if f'`{name}`' not in readme:
        problems.append('not listed in README.md')
    bad += bool(problems)
    print(('FAIL ' if problems else 'ok   ') + name + (': ' + '; '.join(problems) if problems else ''))
print(f'{bad} failed')
sys.exit(1 if bad else 0)
