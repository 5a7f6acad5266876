"""Drive the widget tour in a real browser: serve nbs/93_tour_widgets.ipynb with Voila on localhost, open it in headless
Chromium (Debian's /usr/bin/chromium) through Playwright, move the strength slider, cast two user-study votes, check what
changed, and save a screenshot to figures/widgets_browser.png.

    pip install voila playwright && apt-get install chromium   # Playwright's own browser download is not needed
    python bench/browser_check.py [--out figures/widgets_browser.png] [--chromium /usr/bin/chromium]
"""
import argparse, csv, os, socket, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync']

def free_port()->int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def wait_http(url:str, timeout:float=120):
    import urllib.request
    t0 = time.time()
    while time.time() - t0 < timeout:
        try: urllib.request.urlopen(url, timeout=5); return
        except Exception: time.sleep(1)
    raise SystemExit(f"browser_check: voila did not answer at {url} in {timeout:.0f} s")

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', default=str(ROOT/'figures'/'widgets_browser.png'))
    ap.add_argument('--chromium', default='/usr/bin/chromium')
    ap.add_argument('--timeout', type=float, default=300, help='seconds to wait for the notebook to run in the kernel')
    a = ap.parse_args()
    if not Path(a.chromium).exists(): raise SystemExit(f"browser_check: no Chromium at {a.chromium} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    votes = Path(tempfile.mkdtemp())/'votes.csv'
    port = free_port(); url = f'http://127.0.0.1:{port}/'
    env = {**os.environ, 'FAM_NB_LIVE': '1', 'FAM_NB_ROOT': str(ROOT), 'FAM_NB_VOTES': str(votes.parent), 'MPLBACKEND': 'Agg'}
    srv = subprocess.Popen([sys.executable, '-m', 'voila', str(ROOT/'nbs'/'93_tour_widgets.ipynb'), f'--port={port}', '--no-browser',
                            '--Voila.ip=127.0.0.1', '--Voila.tornado_settings={"headers": {}}'], env=env, cwd=ROOT/'nbs',
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    checks = []
    try:
        wait_http(url)
        with sync_playwright() as p:
            br = p.chromium.launch(executable_path=a.chromium, args=FLAGS)
            page = br.new_page(viewport={'width': 1100, 'height': 5200})          # tall: Voila scrolls inside its body
            t0 = time.time(); page.goto(url, timeout=a.timeout * 1000)
            slider = page.locator('.widget-slider', has=page.locator('label', has_text='strength')).first
            slider.wait_for(timeout=a.timeout * 1000)
            checks.append(f"the tour ran in the kernel and rendered its widgets in {time.time() - t0:.0f} s")
            box = slider.locator('xpath=ancestor::div[contains(@class,"widget-vbox")][1]')
            img = box.locator('img').first
            before = img.get_attribute('src')
            readout = slider.locator('.widget-readout')
            readout.click(); readout.press('Control+a'); readout.type('-1.0'); readout.press('Enter')
            page.wait_for_function('([el, b]) => el.getAttribute("src") !== b', arg=[img.element_handle(), before], timeout=60000)
            checks.append(f"moved the strength slider to {readout.inner_text().strip()}: the kernel redrew the edit (a new image)")
            name = page.locator('.widget-text', has=page.locator('label', has_text='your name')).locator('input')
            name.fill('browser-check'); name.press('Enter')
            study = name.locator('xpath=ancestor::div[contains(@class,"widget-vbox")][1]')
            for choice in ('A', 'none of these'):
                status = study.locator('.widget-html').first.inner_text()
                study.locator('button', has_text=choice).first.click()
                page.wait_for_function('([el, s]) => el.innerText !== s', arg=[study.locator('.widget-html').first.element_handle(), status], timeout=60000)
            rows = list(csv.DictReader(open(votes))) if votes.exists() else []
            if [r['choice'] for r in rows] != ['A', 'none']:
                raise SystemExit(f"browser_check: expected two votes (A, none) in {votes}, found {rows}")
            checks.append(f"cast two votes (A, then 'none of these'); {votes.name} holds {len(rows)} rows: " +
                          ', '.join(f"{r['item']}={r['choice']}" for r in rows))
            Path(a.out).parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=a.out, full_page=True, type='png')
            from PIL import Image, ImageOps
            im = Image.open(a.out).convert('RGB'); box = ImageOps.invert(im).getbbox()       # trim the white below the page
            if box: im.crop((0, 0, im.size[0], min(im.size[1], box[3] + 20))).save(a.out)
            checks.append(f"saved the screenshot {a.out}")
            br.close()
    finally:
        srv.terminate()
        try: srv.wait(10)
        except subprocess.TimeoutExpired: srv.kill()
    for c in checks: print('ok:', c)

if __name__ == '__main__': main()
